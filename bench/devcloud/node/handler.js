// The Node equivalent of examples/hello: GET /hello/{name} -> "hello, NAME!\n" (text/plain).
"use strict";

exports.hello = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "text/plain; charset=utf-8" },
  body: `hello, ${event.pathParameters.name}!\n`,
});
