describe("gateway", () => {});
