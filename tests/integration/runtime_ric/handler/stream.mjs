// A streamed HTTP response for the gateway test, in its own module: `awslambda` is
// the RIC's global, so it is used only where the streaming test loads it.
export const streamed = awslambda.streamifyResponse(async (event, responseStream) => {
  const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 202, headers: { "x-streamed": "node" } });
  out.write("first;");
  await new Promise((resolve) => setTimeout(resolve, 600));
  out.write("second");
  out.end();
});
