// Handlers for the RIC interop test.
export const echo = async (event, context) => ({
  echoed: event,
  requestId: context.awsRequestId,
  remainingPositive: context.getRemainingTimeInMillis() > 0,
  functionArn: context.invokedFunctionArn,
});

export const fail = async () => {
  const e = new Error("the order is gone");
  e.name = "OrderGone";
  throw e;
};

// Served through the gust dev gateway: a payload 2.0 event in, an HTTP response out.
export const http = async (event) => ({
  statusCode: 201,
  headers: { "content-type": "application/json", "x-runtime": "node-ric" },
  cookies: ["flavour=node"],
  body: JSON.stringify({
    name: event.pathParameters.name,
    method: event.requestContext.http.method,
    q: event.queryStringParameters?.q ?? null,
    taskRoot: process.env.LAMBDA_TASK_ROOT,
  }),
});
