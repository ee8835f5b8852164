test("starts", () => {});
