import "./util.js"
