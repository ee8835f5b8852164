window.legacy = true;
