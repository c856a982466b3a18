// The AWS SDK for JavaScript v3 doing what `aws_bench ddb N` does: PutItem +
// GetItem round trips of the same item shape, p50/p99 in microseconds.
// Endpoint, region and credentials from the environment (aws-peers env).
import { DynamoDBClient, PutItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";

const n = Number(process.argv[2] || 2000);
const client = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: process.env.AWS_REGION });
const item = (i) => ({
  id: { S: `item-${i % 100}` }, title: { S: `title ${i}` }, done: { BOOL: i % 2 === 0 },
  count: { N: String(i) }, tags: { L: [{ S: "a" }, { S: "b" }] },
});
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const now = () => Number(process.hrtime.bigint()) / 1000;

// Check first.
await client.send(new PutItemCommand({ TableName: "bench", Item: item(7) }));
const probe = await client.send(new GetItemCommand({ TableName: "bench", Key: { id: { S: "item-7" } } }));
if (probe.Item?.title?.S !== "title 7") { console.error("check failed"); process.exit(1); }

const puts = [], gets = [];
for (let i = 0; i < n; i++) {
  let t0 = now();
  await client.send(new PutItemCommand({ TableName: "bench", Item: item(i) }));
  puts.push(now() - t0);
  t0 = now();
  await client.send(new GetItemCommand({ TableName: "bench", Key: { id: { S: `item-${i % 100}` } } }));
  gets.push(now() - t0);
}
console.log(JSON.stringify({ client: "aws-sdk-js-v3", n, put_p50: Math.round(pct(puts, 0.5)), put_p99: Math.round(pct(puts, 0.99)),
  get_p50: Math.round(pct(gets, 0.5)), get_p99: Math.round(pct(gets, 0.99)) }));
