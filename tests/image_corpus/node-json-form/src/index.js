require("./modbus");
