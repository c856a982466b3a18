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
