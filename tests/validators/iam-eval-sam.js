// The CloudFormation resource types an app template makes CloudFormation
// create: the types it declares (also inside Fn::ForEach loops and in
// snippets it includes with AWS::Include), and the types AWS SAM generates for
// each AWS::Serverless::* resource and Connectors attribute.
//
// The SAM table is written from AWS SAM's documentation ("CloudFormation
// resources generated when AWS::Serverless::<X> is specified", one page per
// resource type, and the "Connectors" pages), checked against what the SAM
// translator (github.com/aws/serverless-application-model,
// samtranslator/model/) emits: each of its test templates
// (tests/translator/input, with the Transform added), except three oddities (a
// made-up transform name, invalid types), gives exactly the types of its
// translation in tests/translator/output. It is kept apart from mrp's own
// table on purpose: the two should agree because both follow AWS, not because
// one was copied from the other.
'use strict';

const fs = require('fs');
const path = require('path');
const { ReadError, readCfnFile } = require('./iam-eval-read');

const SERVERLESS_TRANSFORM = 'AWS::Serverless-2016-10-31';

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// A property that is absent, or a Fn::If one of whose branches is
// AWS::NoValue: SAM then makes what the property would have named (a role, a
// destination queue), under the condition.
function mayBeAbsent(v) {
  if (v === undefined) return true;
  const branches = isMap(v) && Array.isArray(v['Fn::If']) ? v['Fn::If'].slice(1) : [];
  return branches.some((b) => isMap(b) && b.Ref === 'AWS::NoValue');
}

// SAM's Globals: a map property merges into the resource's (the resource
// wins); any other property is used when the resource does not set it.
function withGlobals(props, globals) {
  if (!isMap(globals)) return props || {};
  const out = { ...globals };
  for (const [k, v] of Object.entries(props || {})) {
    out[k] = isMap(v) && isMap(out[k]) ? { ...out[k], ...v } : v;
  }
  return out;
}

// A dead-letter queue SAM creates for a rule or schedule: `Type: SQS` makes a
// queue (a rule's also gets a queue policy), an `Arn` uses an existing one.
function deadLetterTypes(dlq, withPolicy) {
  if (!isMap(dlq) || dlq.Arn !== undefined || dlq.Type !== 'SQS') return [];
  return withPolicy ? ['AWS::SQS::Queue', 'AWS::SQS::QueuePolicy'] : ['AWS::SQS::Queue'];
}

// The types an event source of a function generates. `ctx` collects what is
// made once per template (the implicit REST and HTTP APIs).
function functionEventTypes(event, ctx, notes, where) {
  const p = isMap(event.Properties) ? event.Properties : {};
  const permission = 'AWS::Lambda::Permission';
  switch (event.Type) {
    case 'Api':
      if (p.RestApiId === undefined) ctx.implicitRestApi = true;
      return [permission];
    case 'HttpApi':
      if (p.ApiId === undefined) ctx.implicitHttpApi = true;
      return [permission];
    case 'Schedule':
    case 'CloudWatchEvent':
    case 'EventBridgeRule':
      return ['AWS::Events::Rule', permission, ...deadLetterTypes(p.DeadLetterConfig, true)];
    case 'ScheduleV2':
      return ['AWS::Scheduler::Schedule', ...(p.RoleArn === undefined ? ['AWS::IAM::Role'] : []),
        ...deadLetterTypes(p.DeadLetterConfig, false)];
    case 'SQS':
    case 'Kinesis':
    case 'DynamoDB':
    case 'MSK':
    case 'MQ':
    case 'SelfManagedKafka':
    case 'DocumentDB':
      return ['AWS::Lambda::EventSourceMapping'];
    case 'SNS':
      if (p.SqsSubscription === true) {
        return ['AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::SNS::Subscription',
          'AWS::Lambda::EventSourceMapping'];
      }
      if (isMap(p.SqsSubscription)) {
        return ['AWS::SQS::QueuePolicy', 'AWS::SNS::Subscription', 'AWS::Lambda::EventSourceMapping'];
      }
      return ['AWS::SNS::Subscription', permission];
    case 'CloudWatchLogs':
      return ['AWS::Logs::SubscriptionFilter', permission];
    case 'IoTRule':
      return ['AWS::IoT::TopicRule', permission];
    case 'S3': // the bucket itself is in the template; SAM adds its notification
    case 'Cognito': // the same for the user pool's Lambda triggers
    case 'AlexaSkill':
      return [permission];
    default:
      notes.push(`${where}: SAM event type ${event.Type} is not in iam-eval's table`);
      return [];
  }
}

function functionTypes(id, props, ctx, notes) {
  const types = ['AWS::Lambda::Function'];
  if (mayBeAbsent(props.Role)) types.push('AWS::IAM::Role');
  if (props.AutoPublishAlias !== undefined) types.push('AWS::Lambda::Version', 'AWS::Lambda::Alias');
  const url = props.FunctionUrlConfig;
  if (url !== undefined) {
    types.push('AWS::Lambda::Url');
    // Public URLs get the permissions that let anyone invoke them.
    if (isMap(url) && url.AuthType === 'NONE') types.push('AWS::Lambda::Permission');
  }
  const pref = props.DeploymentPreference;
  if (isMap(pref) && pref.Enabled !== false) {
    types.push('AWS::CodeDeploy::DeploymentGroup');
    ctx.codeDeploy = true;
    if (pref.Role === undefined) ctx.codeDeployRole = true;
  }
  const invoke = props.EventInvokeConfig;
  if (invoke !== undefined) {
    types.push('AWS::Lambda::EventInvokeConfig');
    const dest = isMap(invoke) && isMap(invoke.DestinationConfig) ? invoke.DestinationConfig : {};
    for (const d of [dest.OnSuccess, dest.OnFailure]) {
      if (!isMap(d) || !mayBeAbsent(d.Destination)) continue;
      if (d.Type === 'SQS') types.push('AWS::SQS::Queue');
      if (d.Type === 'SNS') types.push('AWS::SNS::Topic');
    }
  }
  for (const [name, event] of Object.entries(isMap(props.Events) ? props.Events : {})) {
    if (isMap(event)) types.push(...functionEventTypes(event, ctx, notes, `${id}.Events.${name}`));
  }
  return types;
}

function stateMachineTypes(id, props, ctx, notes) {
  const types = ['AWS::StepFunctions::StateMachine'];
  if (mayBeAbsent(props.Role)) types.push('AWS::IAM::Role');
  if (props.AutoPublishAlias !== undefined) {
    types.push('AWS::StepFunctions::StateMachineVersion', 'AWS::StepFunctions::StateMachineAlias');
  }
  for (const [name, event] of Object.entries(isMap(props.Events) ? props.Events : {})) {
    if (!isMap(event)) continue;
    const p = isMap(event.Properties) ? event.Properties : {};
    // Unlike a function, a state machine is started through a role.
    const role = p.RoleArn === undefined ? ['AWS::IAM::Role'] : [];
    switch (event.Type) {
      case 'Schedule':
      case 'CloudWatchEvent':
      case 'EventBridgeRule':
        types.push('AWS::Events::Rule', ...role, ...deadLetterTypes(p.DeadLetterConfig, true));
        break;
      case 'ScheduleV2':
        types.push('AWS::Scheduler::Schedule', ...role, ...deadLetterTypes(p.DeadLetterConfig, false));
        break;
      case 'Api':
        if (p.RestApiId === undefined) ctx.implicitRestApi = true;
        types.push('AWS::IAM::Role');
        break;
      default:
        notes.push(`${id}.Events.${name}: SAM state machine event type ${event.Type} is not in iam-eval's table`);
    }
  }
  return types;
}

function domainTypes(domain, v2) {
  if (!isMap(domain)) return [];
  const route53 = isMap(domain.Route53) ? ['AWS::Route53::RecordSetGroup'] : [];
  if (v2) return ['AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping', ...route53];
  if (domain.EndpointConfiguration === 'PRIVATE') {
    const access = domain.AccessAssociation !== undefined ? ['AWS::ApiGateway::DomainNameAccessAssociation'] : [];
    return ['AWS::ApiGateway::DomainNameV2', 'AWS::ApiGateway::BasePathMappingV2', ...access, ...route53];
  }
  return ['AWS::ApiGateway::DomainName', 'AWS::ApiGateway::BasePathMapping', ...route53];
}

function restApiTypes(props) {
  const types = ['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Deployment', 'AWS::ApiGateway::Stage'];
  const auth = isMap(props.Auth) ? props.Auth : {};
  const plan = isMap(auth.UsagePlan) ? auth.UsagePlan.CreateUsagePlan : undefined;
  // A plan given by an intrinsic function may be one that creates resources.
  if (plan === 'PER_API' || plan === 'SHARED' || isMap(plan)) {
    types.push('AWS::ApiGateway::UsagePlan', 'AWS::ApiGateway::ApiKey', 'AWS::ApiGateway::UsagePlanKey');
  }
  for (const a of Object.values(isMap(auth.Authorizers) ? auth.Authorizers : {})) {
    if (isMap(a) && a.FunctionArn !== undefined && a.DisableFunctionDefaultPermissions !== true) {
      types.push('AWS::Lambda::Permission');
    }
  }
  return [...types, ...domainTypes(props.Domain, false)];
}

function httpApiTypes(props) {
  const types = ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage'];
  const auth = isMap(props.Auth) ? props.Auth : {};
  for (const a of Object.values(isMap(auth.Authorizers) ? auth.Authorizers : {})) {
    // HTTP APIs grant the authorizer's invoke permission only when asked.
    if (isMap(a) && a.FunctionArn !== undefined && a.EnableFunctionDefaultPermissions === true) {
      types.push('AWS::Lambda::Permission');
    }
  }
  return [...types, ...domainTypes(props.Domain, true)];
}

function webSocketApiTypes(props) {
  const types = ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage'];
  // Each route: its route, its integration and the function's permission.
  if (isMap(props.Routes) && Object.keys(props.Routes).length > 0) {
    types.push('AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration', 'AWS::Lambda::Permission');
  }
  if (isMap(props.Auth) && props.Auth.AuthType === 'CUSTOM') {
    types.push('AWS::ApiGatewayV2::Authorizer', 'AWS::Lambda::Permission');
  }
  return [...types, ...domainTypes(props.Domain, true)];
}

function graphQlTypes(props) {
  const types = ['AWS::AppSync::GraphQLApi', 'AWS::AppSync::GraphQLSchema'];
  const logging = props.Logging;
  if (logging !== false && !(isMap(logging) && logging.CloudWatchLogsRoleArn !== undefined)) {
    types.push('AWS::IAM::Role');
  }
  const auth = isMap(props.Auth) ? props.Auth : {};
  for (const a of [auth, ...(Array.isArray(auth.Additional) ? auth.Additional : [])]) {
    if (isMap(a) && a.Type === 'AWS_LAMBDA') types.push('AWS::Lambda::Permission');
  }
  if (isMap(props.ApiKeys) && Object.keys(props.ApiKeys).length > 0) types.push('AWS::AppSync::ApiKey');
  if (props.Cache !== undefined) types.push('AWS::AppSync::ApiCache');
  const sources = isMap(props.DataSources) ? props.DataSources : {};
  for (const kind of ['DynamoDb', 'Lambda']) {
    for (const ds of Object.values(isMap(sources[kind]) ? sources[kind] : {})) {
      types.push('AWS::AppSync::DataSource');
      // Without a ServiceRoleArn: a role, and a connector's managed policy.
      if (isMap(ds) && ds.ServiceRoleArn === undefined) types.push('AWS::IAM::Role', 'AWS::IAM::ManagedPolicy');
    }
  }
  if (props.DomainName !== undefined) {
    types.push('AWS::AppSync::DomainName', 'AWS::AppSync::DomainNameApiAssociation');
  }
  const fns = isMap(props.Functions) ? Object.values(props.Functions) : [];
  if (fns.length > 0) types.push('AWS::AppSync::FunctionConfiguration');
  const resolvers = [];
  for (const byType of Object.values(isMap(props.Resolvers) ? props.Resolvers : {})) {
    if (isMap(byType)) resolvers.push(...Object.values(byType));
  }
  if (resolvers.length > 0) types.push('AWS::AppSync::Resolver');
  // A function or resolver on data source "NONE" gets a NONE data source.
  if ([...fns, ...resolvers].some((f) => isMap(f) && String(f.DataSource).toLowerCase() === 'none')) {
    types.push('AWS::AppSync::DataSource');
  }
  return types;
}

// What a SAM type stands for when it is a connector's source or destination.
const CONNECTED_AS = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::GraphQLApi': 'AWS::AppSync::GraphQLApi',
};

// The connections SAM grants with a resource policy; every other connection
// is an IAM managed policy on the source's role.
const RESOURCE_POLICY_SOURCES = ['AWS::Events::Rule', 'AWS::ApiGateway::RestApi',
  'AWS::ApiGatewayV2::Api', 'AWS::SNS::Topic', 'AWS::S3::Bucket', 'AWS::AppSync::GraphQLApi'];
const RESOURCE_POLICY_FOR = {
  'AWS::Lambda::Function': 'AWS::Lambda::Permission',
  'AWS::SNS::Topic': 'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue': 'AWS::SQS::QueuePolicy',
};

function connectorTypes(source, destinations, resources) {
  const typeOf = (end) => {
    if (!isMap(end)) return undefined;
    const t = end.Id !== undefined && isMap(resources[end.Id]) ? resources[end.Id].Type : end.Type;
    return CONNECTED_AS[t] || t;
  };
  const from = typeOf(source);
  return (Array.isArray(destinations) ? destinations : [destinations]).map((d) => {
    const to = typeOf(d);
    if (RESOURCE_POLICY_SOURCES.includes(from) && RESOURCE_POLICY_FOR[to]) return RESOURCE_POLICY_FOR[to];
    return 'AWS::IAM::ManagedPolicy';
  });
}

function samTypes(id, res, ctx, globals, resources, notes) {
  const kind = res.Type.slice('AWS::Serverless::'.length);
  const props = withGlobals(isMap(res.Properties) ? res.Properties : {}, globals[kind]);
  switch (kind) {
    case 'Function': return functionTypes(id, props, ctx, notes);
    case 'StateMachine': return stateMachineTypes(id, props, ctx, notes);
    case 'Api': return restApiTypes(props);
    case 'HttpApi': return httpApiTypes(props);
    case 'WebSocketApi': return webSocketApiTypes(props);
    case 'SimpleTable': return ['AWS::DynamoDB::Table'];
    case 'LayerVersion': return ['AWS::Lambda::LayerVersion'];
    case 'Application': return ['AWS::CloudFormation::Stack'];
    case 'GraphQLApi': return graphQlTypes(props);
    case 'Connector': return connectorTypes(props.Source, props.Destination, resources);
    case 'CapacityProvider':
      return ['AWS::Lambda::CapacityProvider', ...(mayBeAbsent(props.OperatorRole) ? ['AWS::IAM::Role'] : [])];
    default:
      notes.push(`${id}: SAM type ${res.Type} is not in iam-eval's table`);
      return [];
  }
}

// Transform names used anywhere in the template (Transform, Fn::Transform).
function transformNames(template) {
  const names = [];
  const top = template.Transform;
  for (const t of Array.isArray(top) ? top : top === undefined ? [] : [top]) {
    names.push(isMap(t) ? t.Name : t);
  }
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isMap(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Fn::Transform' && isMap(x)) names.push(x.Name);
        walk(x);
      }
    }
  })(template.Resources);
  return [...new Set(names.filter((n) => typeof n === 'string'))].sort();
}

// The template's resources as [logicalId, resource] pairs: Fn::ForEach loops
// give their fragment once (its types do not depend on the collection), and a
// resources snippet included with AWS::Include from a local file (which
// `aws cloudformation package` uploads) is read in place.
function declaredResources(resources, dir, notes, where) {
  const out = [];
  for (const [key, value] of Object.entries(isMap(resources) ? resources : {})) {
    if (key.startsWith('Fn::ForEach::')) {
      if (Array.isArray(value) && value.length === 3) {
        out.push(...declaredResources(value[2], dir, notes, `${where} ${key}`));
      } else notes.push(`${where} ${key}: not [identifier, collection, fragment]`);
    } else if (key === 'Fn::Transform') {
      out.push(...includedResources(value, dir, notes, where));
    } else if (isMap(value)) {
      out.push([key, value]);
    }
  }
  return out;
}

function includedResources(transform, dir, notes, where) {
  const name = isMap(transform) ? transform.Name : undefined;
  const location = isMap(transform) && isMap(transform.Parameters) ? transform.Parameters.Location : undefined;
  if (name !== 'AWS::Include') {
    notes.push(`${where}: macro ${name} makes resources iam-eval cannot see`);
    return [];
  }
  if (typeof location !== 'string' || /^(s3|https?):\/\//.test(location)) {
    notes.push(`${where}: AWS::Include of ${JSON.stringify(location)}, not a local file`);
    return [];
  }
  const file = path.resolve(dir, location);
  return declaredResources(readCfnFile(file), path.dirname(file), notes, path.basename(file));
}

// The CloudFormation type and property name a SAM resource's property becomes,
// where SAM passes it on (AWS SAM Developer Guide, each resource's property
// list: "passed directly to the … property of an AWS::… resource").
const SAM_PASSED_ON = {
  Function: ['AWS::Lambda::Function', { DeadLetterQueue: 'DeadLetterConfig', Tracing: 'TracingConfig' }],
  SimpleTable: ['AWS::DynamoDB::Table', {}],
  StateMachine: ['AWS::StepFunctions::StateMachine',
    { Logging: 'LoggingConfiguration', Tracing: 'TracingConfiguration' }],
  LayerVersion: ['AWS::Lambda::LayerVersion', {}],
  // An HTTP API's stage settings go to its stage (the rest to the API, which
  // no property gate concerns).
  HttpApi: ['AWS::ApiGatewayV2::Stage', {}],
};

// The properties set on resources of each type: {type: Set(property)}.
function propertiesSet(resources, sam, globals) {
  const out = new Map();
  const set = (type, prop) => {
    if (!out.has(type)) out.set(type, new Set());
    out.get(type).add(prop);
  };
  for (const [, res] of resources) {
    if (typeof res.Type !== 'string') continue;
    const own = isMap(res.Properties) ? res.Properties : {};
    const kind = res.Type.slice('AWS::Serverless::'.length);
    if (sam && res.Type.startsWith('AWS::Serverless::')) {
      if (!SAM_PASSED_ON[kind]) continue;
      const [type, renamed] = SAM_PASSED_ON[kind];
      for (const prop of Object.keys(withGlobals(own, globals[kind]))) set(type, renamed[prop] || prop);
    } else {
      for (const prop of Object.keys(own)) set(res.Type, prop);
    }
  }
  return out;
}

// { types: Map(type -> [logical ids]), properties: Map(type -> Set(property)),
//   transforms: [names], notes: [text] }
function templateTypes(templateFile) {
  if (!fs.existsSync(templateFile)) throw new ReadError(`${templateFile}: no such file`);
  const template = readCfnFile(templateFile);
  const notes = [];
  const types = new Map();
  const add = (type, id) => {
    if (!types.has(type)) types.set(type, []);
    if (!types.get(type).includes(id)) types.get(type).push(id);
  };
  const transforms = transformNames(template);
  const sam = transforms.includes(SERVERLESS_TRANSFORM);
  const globals = sam && isMap(template.Globals) ? template.Globals : {};
  const resources = declaredResources(template.Resources, path.dirname(templateFile), notes,
    path.basename(templateFile));
  const byId = Object.fromEntries(resources);
  const ctx = {};
  for (const [id, res] of resources) {
    if (typeof res.Type !== 'string') continue;
    if (sam && res.Type.startsWith('AWS::Serverless::')) {
      for (const t of samTypes(id, res, ctx, globals, byId, notes)) add(t, id);
    } else {
      add(res.Type, id);
    }
    // The Connectors attribute: one connector per entry, from this resource.
    if (sam && isMap(res.Connectors)) {
      for (const c of Object.values(res.Connectors)) {
        if (!isMap(c) || !isMap(c.Properties)) continue;
        for (const t of connectorTypes({ Id: id }, c.Properties.Destination, byId)) add(t, id);
      }
    }
  }
  // The implicit APIs take their settings from Globals like any other.
  if (ctx.implicitRestApi) {
    for (const t of restApiTypes(withGlobals({}, globals.Api))) add(t, 'ServerlessRestApi');
  }
  if (ctx.implicitHttpApi) {
    for (const t of httpApiTypes(withGlobals({}, globals.HttpApi))) add(t, 'ServerlessHttpApi');
  }
  if (ctx.codeDeploy) add('AWS::CodeDeploy::Application', 'ServerlessDeploymentApplication');
  if (ctx.codeDeployRole) add('AWS::IAM::Role', 'CodeDeployServiceRole');
  return { types, properties: propertiesSet(resources, sam, globals), transforms, notes };
}

module.exports = { templateTypes };
