// The handler the error cases' SAM functions package (CodeUri: ./src).
exports.handler = async () => ({ statusCode: 200 });
