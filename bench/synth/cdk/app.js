// examples/hello as a CDK app: the same function, log group, role and HTTP
// route that `gust synth` derives from examples/hello/main.cpp.
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const logs = require('aws-cdk-lib/aws-logs');
const s3 = require('aws-cdk-lib/aws-s3');
const apigw = require('aws-cdk-lib/aws-apigatewayv2');
const { HttpLambdaIntegration } = require('aws-cdk-lib/aws-apigatewayv2-integrations');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'hello-dev');
const artifactBucket = new cdk.CfnParameter(stack, 'ArtifactBucket');
const artifactKey = new cdk.CfnParameter(stack, 'ArtifactKey');

const fn = new lambda.Function(stack, 'GetHelloName', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  architecture: lambda.Architecture.ARM_64,
  handler: 'get-hello-name',
  code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Artifacts', artifactBucket.valueAsString),
                               artifactKey.valueAsString),
  memorySize: 128,
  timeout: cdk.Duration.seconds(10),
  logGroup: new logs.LogGroup(stack, 'GetHelloNameLogs', { retention: logs.RetentionDays.TWO_WEEKS }),
});

const api = new apigw.HttpApi(stack, 'HttpApi');
api.addRoutes({ path: '/hello/{name}', methods: [apigw.HttpMethod.GET],
                integration: new HttpLambdaIntegration('GetHelloName', fn) });
new cdk.CfnOutput(stack, 'ApiUrl', { value: api.apiEndpoint });
