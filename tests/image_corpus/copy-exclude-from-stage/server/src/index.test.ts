import "./index";
