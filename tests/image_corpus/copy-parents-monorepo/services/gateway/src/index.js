console.log("gateway");
