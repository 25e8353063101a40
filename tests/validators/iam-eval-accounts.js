#!/usr/bin/env node
// Proves offline, with @cloud-copilot/iam-simulate, that the roles and
// policies mrp generates for waves in other accounts let the pipeline reach
// into those accounts exactly as far as it must:
//
//   - the pipeline role may sts:AssumeRole each target account's action role,
//     and neither the deploy roles, nor other roles of those accounts, nor a
//     role of the same name elsewhere; the action role's trust admits the
//     pipeline role only (not the build role, not the pipeline account's root
//     or another of its roles, not a role of another account), and only when
//     the pipeline role's own policies allow the call too;
//   - the deploy role's trust admits cloudformation.amazonaws.com only;
//   - the artifact key of every region lets the action and deploy roles of
//     the target accounts kms:Decrypt and not kms:Encrypt or
//     kms:GenerateDataKey, and no other principal of those accounts use it;
//     the pipeline account's pipeline and build roles still may;
//   - the artifact bucket of every region lets those roles read artifact
//     objects (not write them) and no other principal of the target accounts
//     read them; the action roles may find the bucket, only over TLS;
//   - each action role may create and update the app stacks in its own
//     account's regions and nowhere else, and pass its own deploy role, to
//     CloudFormation only;
//   - the pipeline's deploy actions name the roles the target-account
//     templates create, and deploy into each account's regions.
//
// Each template's intrinsic functions are resolved in its own account:
// pipeline.yaml and artifact-buckets.yaml (once per artifact store region) in
// the pipeline's, target-account-ACCOUNT.yaml in ACCOUNT. Principals the
// templates do not create are given every permission (Action "*"), so that
// what keeps them out is the policy on the other side.
//
// Usage: node iam-eval-accounts.js [SPEC-DIR OUTPUT-ROOT]
//   Without arguments: specs/release-train and golden/release-train.
// Output: "ok - CHECK: RESULT" or "FAILED - CHECK: RESULT, want EXPECTED" per
// check, then "iam-eval-accounts: N checks, F failed".
// Exit status: 0 every result as expected, 1 one was not (or a simulation
// could not run), 2 usage or setup error (a file missing or unreadable).
'use strict';

const path = require('path');
const { ReadError, readCfnFile, readSpec, Resolver, KEY_ID } = require('./iam-eval-read');

const PROG = 'iam-eval-accounts';
const PARTITION = 'aws';
const ROOT = path.resolve(__dirname, '..', '..');
// An account and a region the spec does not name.
const OUTSIDE_ACCOUNT = '999988887777';
const OUTSIDE_REGION = 'ap-south-1';
const ALLOWED = 'Allowed';
const DENIED = 'ImplicitlyDenied';
const EXPLICITLY_DENIED = 'ExplicitlyDenied';
const EVERYTHING = [{ name: 'everything', policy: { Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];

function loadSimulate() {
  try {
    return require('@cloud-copilot/iam-simulate');
  } catch (e) {
    console.error(`${PROG}: cannot load @cloud-copilot/iam-simulate (${e.message.split('\n')[0]}).`);
    console.error(`${PROG}: run 'npm install --no-audit --no-fund --no-package-lock' in ${__dirname} `
      + '(tests/validators/iam-eval-accounts.sh does it for you).');
    process.exit(2);
  }
}

const accountOf = (arn) => String(arn).split(':')[4];
const roleArn = (account, name) => `arn:${PARTITION}:iam::${account}:role/${name}`;
const rootArn = (account) => `arn:${PARTITION}:iam::${account}:root`;

// --- reading the templates -----------------------------------------------------

// A role of a template as {arn, policies, trust}: its inline policies are all
// mrp gives the roles evaluated here; anything else would go unevaluated.
function readRole(template, resolver, logicalId) {
  const res = (template.Resources || {})[logicalId];
  if (!res || res.Type !== 'AWS::IAM::Role') throw new ReadError(`${logicalId} is not an AWS::IAM::Role`);
  const props = res.Properties || {};
  if (props.ManagedPolicyArns !== undefined || props.PermissionsBoundary !== undefined) {
    throw new ReadError(`${logicalId}: managed policies and boundaries are not evaluated here`);
  }
  return {
    arn: resolver.getAtt(logicalId, 'Arn'),
    policies: resolver.value(props.Policies || [])
      .map((p) => ({ name: `${logicalId}/${p.PolicyName}`, policy: p.PolicyDocument })),
    trust: resolver.value(props.AssumeRolePolicyDocument),
  };
}

function roleId(value) {
  if (value && Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  const sub = value && typeof value['Fn::Sub'] === 'string' && /^\$\{(\w+)\.Arn\}$/.exec(value['Fn::Sub']);
  if (sub) return sub[1];
  throw new ReadError(`a role given as ${JSON.stringify(value)}, not the ARN of a role of the template`);
}

// pipeline.yaml in the pipeline account: its pipeline and build roles, the
// regions of its artifact stores, and its CloudFormation deploy actions.
function readPipeline(file, spec) {
  const template = readCfnFile(file);
  const resolver = new Resolver(template,
    { partition: PARTITION, account: spec.account, region: spec.regions[0], stack: spec.name });
  const resources = Object.entries(template.Resources || {});
  const [, pipeline] = resources.find(([, r]) => r.Type === 'AWS::CodePipeline::Pipeline') || [];
  const [, project] = resources.find(([, r]) => r.Type === 'AWS::CodeBuild::Project') || [];
  if (!pipeline || !project) throw new ReadError(`${file}: no pipeline or no build project`);
  const props = pipeline.Properties || {};
  const storeRegions = props.ArtifactStores
    ? props.ArtifactStores.map((s) => resolver.value(s.Region)) : [spec.regions[0]];
  const deploys = [];
  for (const stage of props.Stages || []) {
    for (const action of stage.Actions || []) {
      const t = action.ActionTypeId || {};
      if (t.Category !== 'Deploy' || t.Provider !== 'CloudFormation') continue;
      const config = action.Configuration || {};
      deploys.push({
        name: `${stage.Name}/${action.Name}`,
        region: action.Region || spec.regions[0],
        stack: config.StackName,
        actionRole: action.RoleArn === undefined ? null : resolver.value(action.RoleArn),
        deployRole: config.RoleArn === undefined ? null : resolver.value(config.RoleArn),
      });
    }
  }
  return {
    pipelineRole: readRole(template, resolver, roleId(props.RoleArn)),
    buildRole: readRole(template, resolver, roleId(project.Properties.ServiceRole)),
    storeRegions,
    deploys,
  };
}

// artifact-buckets.yaml as deployed in `region` of the pipeline account.
function readArtifactStore(file, spec, region) {
  const template = readCfnFile(file);
  const resolver = new Resolver(template,
    { partition: PARTITION, account: spec.account, region, stack: `${spec.name}-artifacts` });
  const resources = Object.entries(template.Resources || {});
  const [, key] = resources.find(([, r]) => r.Type === 'AWS::KMS::Key') || [];
  const [, policy] = resources.find(([, r]) => r.Type === 'AWS::S3::BucketPolicy') || [];
  const [, alias] = resources.find(([, r]) => r.Type === 'AWS::KMS::Alias') || [];
  if (!key || !policy || !alias) throw new ReadError(`${file}: no KMS key, alias or bucket policy`);
  return {
    keyAlias: resolver.value(alias.Properties.AliasName),
    keyArn: `arn:${PARTITION}:kms:${region}:${spec.account}:key/${KEY_ID}`,
    keyPolicy: resolver.value(key.Properties.KeyPolicy),
    bucket: resolver.value(policy.Properties.Bucket),
    bucketPolicy: resolver.value(policy.Properties.PolicyDocument),
  };
}

// target-account-ACCOUNT.yaml in ACCOUNT: every role it creates, by ARN.
function readTargetAccount(file, spec, account, region) {
  const template = readCfnFile(file);
  const resolver = new Resolver(template,
    { partition: PARTITION, account, region, stack: `${spec.name}-target-account` });
  const roles = new Map();
  for (const [id, res] of Object.entries(template.Resources || {})) {
    if (res.Type !== 'AWS::IAM::Role') continue;
    const role = readRole(template, resolver, id);
    roles.set(role.arn, { id, ...role });
  }
  return roles;
}

// --- checks ----------------------------------------------------------------------

class Checks {
  constructor(simulate) {
    this.simulate = simulate;
    this.count = 0;
    this.failed = 0;
  }

  report(what, got, want) {
    this.count += 1;
    if (got === want) {
      console.log(`ok - ${what}: ${got}`);
    } else {
      this.failed += 1;
      console.log(`FAILED - ${what}: ${got}, want ${want}`);
    }
  }

  // One request: `who` ({arn, policies}) calls `action` on `resource` of
  // `account`, under the resource's own policy `resourcePolicy` (a trust, key
  // or bucket policy; none: undefined).
  async request(what, who, action, resource, account, resourcePolicy, context, want) {
    const service = !who.arn.startsWith('arn:');
    const ctx = { 'aws:ResourceAccount': account, 'aws:SecureTransport': 'true', ...context };
    if (!service) {
      ctx['aws:PrincipalArn'] = who.arn;
      ctx['aws:PrincipalAccount'] = accountOf(who.arn);
    }
    const simulation = {
      request: { principal: who.arn, action, resource: { resource, accountId: account },
        contextVariables: ctx },
      identityPolicies: service ? [] : who.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      additionalSettings: { s3: { blockPublicAccess: true } },
    };
    const result = await this.simulate.runSimulation(simulation, {});
    const got = result.resultType === 'error' ? `error ${JSON.stringify(result.errors)}`
      : result.overallResult;
    this.report(what, got, want);
  }
}

// A trust policy that admits `account`, without conditions: a stand-in for
// roles the templates do not create, whose trust is not ours to judge.
function trustAccount(account) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: rootArn(account) },
    Action: 'sts:AssumeRole' }] };
}

class AccountsEvaluation {
  constructor(simulate, specDir, outputRoot) {
    this.checks = new Checks(simulate);
    this.spec = readSpec(path.join(specDir, 'pipeline.mrp'));
    if (!this.spec.account) throw new ReadError(`${specDir}: the spec names no pipeline account`);
    this.targets = new Map(); // account -> its regions
    for (const wave of this.spec.waves) {
      if (wave.account === this.spec.account) continue;
      if (!this.targets.has(wave.account)) this.targets.set(wave.account, []);
      const regions = this.targets.get(wave.account);
      for (const r of wave.regions) if (!regions.includes(r)) regions.push(r);
    }
    if (this.targets.size === 0) throw new ReadError(`${specDir}: no wave deploys into another account`);
    const dir = path.join(outputRoot, 'deployment-pipeline');
    this.pipeline = readPipeline(path.join(dir, 'pipeline.yaml'), this.spec);
    this.stores = this.pipeline.storeRegions
      .map((r) => [r, readArtifactStore(path.join(dir, 'artifact-buckets.yaml'), this.spec, r)]);
    this.roles = new Map(); // account -> Map(arn -> role)
    for (const [account, regions] of this.targets) {
      this.roles.set(account, readTargetAccount(path.join(dir, `target-account-${account}.yaml`),
        this.spec, account, regions[0]));
    }
    this.apps = this.spec.apps.map((a) => a.stack);
  }

  async run() {
    const targets = this.checkActions();
    for (const t of targets) await this.checkAssume(t, targets);
    for (const t of targets) await this.checkDeployTrust(t);
    for (const [region, store] of this.stores) {
      await this.checkPipelineAccountKey(region, store);
      for (const t of targets) await this.checkKey(t, region, store);
      for (const t of targets) await this.checkBucket(t, region, store);
    }
    for (const t of targets) await this.checkActionRole(t, targets);
    return this.checks;
  }

  // The deploy actions into each target account name one action role and one
  // deploy role, both created by that account's template, and deploy every
  // app in exactly the account's regions.
  checkActions() {
    const c = this.checks;
    const targets = [];
    for (const [account, regions] of this.targets) {
      const actions = this.pipeline.deploys.filter((d) => accountOf(d.actionRole) === account
        || accountOf(d.deployRole) === account);
      const roles = this.roles.get(account);
      const named = (field) => [...new Set(actions.map((d) => d[field]))];
      const [actionArn, deployArn] = [named('actionRole'), named('deployRole')];
      const created = (arns) => (arns.length === 1 && roles.has(arns[0]) ? roles.get(arns[0]).id
        : arns.join(' '));
      c.report(`${account}: the deploy actions run as`, created(actionArn), 'PipelineActionRole');
      c.report(`${account}: the deploy actions pass CloudFormation`, created(deployArn), 'DeployRole');
      const deployed = actions.map((d) => `${d.stack} ${d.region}`).sort().join(', ');
      const wanted = this.apps.flatMap((s) => regions.map((r) => `${s} ${r}`)).sort().join(', ');
      c.report(`${account}: the deploy actions deploy`, deployed, wanted);
      if (actionArn.length !== 1 || deployArn.length !== 1
          || !roles.has(actionArn[0]) || !roles.has(deployArn[0])) {
        throw new ReadError(`${account}: cannot evaluate roles the pipeline and the template disagree on`);
      }
      targets.push({ account, regions, action: roles.get(actionArn[0]), deploy: roles.get(deployArn[0]) });
    }
    return targets;
  }

  async checkAssume(t, targets) {
    const c = this.checks;
    const p = this.pipeline.pipelineRole;
    const home = this.spec.account;
    const { account, action, deploy } = t;
    const assume = (what, who, arn, trust, want) =>
      c.request(what, who, 'sts:AssumeRole', arn, accountOf(arn), trust, {}, want);
    await assume(`pipeline role assumes ${account}'s action role`, p, action.arn, action.trust, ALLOWED);
    await assume(`pipeline role assumes ${account}'s deploy role`, p, deploy.arn, deploy.trust, DENIED);
    const other = roleArn(account, 'mrp/other');
    await assume(`pipeline role assumes another role of ${account} that trusts ${home}`, p, other,
      trustAccount(home), DENIED);
    const elsewhere = action.arn.replace(`::${account}:`, `::${OUTSIDE_ACCOUNT}:`);
    await assume(
      `pipeline role assumes ${account}'s action role name in ${OUTSIDE_ACCOUNT}, which trusts ${home}`,
      p, elsewhere,
      trustAccount(home), DENIED);
    // The trust side: who else the action role's trust lets in, even when
    // their own policies allow everything.
    const admitted = (what, who, want) => assume(`${account}'s action role trusts ${what}`, who,
      action.arn, action.trust, want);
    await admitted('the pipeline role without a policy of its own that allows it',
      { arn: p.arn, policies: [] }, DENIED);
    await admitted(`${home}'s build role`, { arn: this.pipeline.buildRole.arn, policies: EVERYTHING },
      DENIED);
    await admitted(`another role of ${home} on the pipeline role's path`,
      { arn: p.arn.replace(/[^/]+$/, 'other'), policies: EVERYTHING }, DENIED);
    await admitted(`${home}'s root`, { arn: rootArn(home), policies: EVERYTHING }, DENIED);
    await admitted(`the pipeline role's name in ${OUTSIDE_ACCOUNT}`,
      { arn: p.arn.replace(`::${home}:`, `::${OUTSIDE_ACCOUNT}:`), policies: EVERYTHING }, DENIED);
    await admitted(`${account}'s root`, { arn: rootArn(account), policies: EVERYTHING }, DENIED);
    for (const u of targets.filter((x) => x.account !== account)) {
      await admitted(`${u.account}'s action role`, { arn: u.action.arn, policies: EVERYTHING }, DENIED);
    }
  }

  async checkDeployTrust(t) {
    const { account, action, deploy } = t;
    const home = this.spec.account;
    const assume = (what, who, want) => this.checks.request(`${account}'s deploy role trusts ${what}`, who,
      'sts:AssumeRole', deploy.arn, account, deploy.trust, {}, want);
    await assume('cloudformation.amazonaws.com', { arn: 'cloudformation.amazonaws.com' }, ALLOWED);
    await assume('codepipeline.amazonaws.com', { arn: 'codepipeline.amazonaws.com' }, DENIED);
    await assume(`${account}'s action role`, { arn: action.arn, policies: EVERYTHING }, DENIED);
    await assume(`${account}'s root`, { arn: rootArn(account), policies: EVERYTHING }, DENIED);
    await assume(`${home}'s pipeline role`, { arn: this.pipeline.pipelineRole.arn, policies: EVERYTHING },
      DENIED);
  }

  // The pipeline account's own roles keep their use of the key
  // (UseByPipelineRoles); one of its roles elsewhere gets none.
  async checkPipelineAccountKey(region, store) {
    const home = this.spec.account;
    // Their policies allow the key by its alias (kms:ResourceAliases), which
    // KMS gives the request from the key's aliases.
    const context = { 'kms:ResourceAliases': [store.keyAlias] };
    const use = (what, who, op, want) => this.checks.request(`${region} key: ${what} ${op}`, who, op,
      store.keyArn, home, store.keyPolicy, context, want);
    const { pipelineRole, buildRole } = this.pipeline;
    for (const [name, role] of [['pipeline role', pipelineRole], ['build role', buildRole]]) {
      for (const op of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']) {
        await use(`${home}'s ${name}`, role, op, ALLOWED);
      }
    }
    await use(`${home}'s role off the pipeline's path, allowed everything,`,
      { arn: roleArn(home, 'other'), policies: EVERYTHING }, 'kms:Decrypt', DENIED);
  }

  async checkKey(t, region, store) {
    const { account, action, deploy } = t;
    const home = this.spec.account;
    const use = (what, who, op, want) => this.checks.request(`${region} key: ${what} ${op}`, who, op,
      store.keyArn, home, store.keyPolicy, {}, want);
    for (const [name, role] of [['action role', action], ['deploy role', deploy]]) {
      await use(`${account}'s ${name}`, role, 'kms:Decrypt', ALLOWED);
      for (const op of ['kms:Encrypt', 'kms:GenerateDataKey']) {
        await use(`${account}'s ${name}`, role, op, DENIED);
        await use(`${account}'s ${name}, allowed everything,`, { arn: role.arn, policies: EVERYTHING }, op,
          DENIED);
      }
    }
    await use(`another role of ${account}, allowed everything,`,
      { arn: roleArn(account, 'mrp/other'), policies: EVERYTHING }, 'kms:Decrypt', DENIED);
    await use(`${account}'s root`, { arn: rootArn(account), policies: EVERYTHING }, 'kms:Decrypt', DENIED);
  }

  async checkBucket(t, region, store) {
    const { account, action, deploy } = t;
    const home = this.spec.account;
    const bucketArn = `arn:${PARTITION}:s3:::${store.bucket}`;
    const objectArn = `${bucketArn}/${this.spec.name}/BuildOutpu/Ab1Cd2E`;
    const s3 = (what, who, op, arn, want, context = {}) => this.checks.request(
      `${region} bucket: ${what} ${op}`, who, op, arn, home, store.bucketPolicy, context, want);
    for (const [name, role] of [['action role', action], ['deploy role', deploy]]) {
      await s3(`${account}'s ${name}`, role, 's3:GetObject', objectArn, ALLOWED);
      await s3(`${account}'s ${name}`, role, 's3:GetObjectVersion', objectArn, ALLOWED);
      await s3(`${account}'s ${name}, allowed everything,`, { arn: role.arn, policies: EVERYTHING },
        's3:PutObject', objectArn, DENIED);
    }
    for (const op of ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning']) {
      await s3(`${account}'s action role`, action, op, bucketArn, ALLOWED);
    }
    await s3(`${account}'s deploy role`, deploy, 's3:GetBucketLocation', bucketArn, DENIED);
    await s3(`${account}'s action role without TLS`, action, 's3:GetObject', objectArn, EXPLICITLY_DENIED,
      { 'aws:SecureTransport': 'false' });
    await s3(`another role of ${account}, allowed everything,`,
      { arn: roleArn(account, 'mrp/other'), policies: EVERYTHING }, 's3:GetObject', objectArn, DENIED);
    await s3(`${account}'s root`, { arn: rootArn(account), policies: EVERYTHING }, 's3:GetObject', objectArn,
      DENIED);
  }

  // In its own account, with no resource policy in the way: the action
  // role's own policies decide.
  async checkActionRole(t, targets) {
    const { account, regions, action, deploy } = t;
    const regionsToTry = [...new Set([...this.spec.regions, OUTSIDE_REGION])];
    const cfn = (what, op, stackAccount, region, stack, want) => this.checks.request(
      `${account}'s action role ${what} ${op}`, action, op,
      `arn:${PARTITION}:cloudformation:${region}:${stackAccount}:stack/${stack}/${KEY_ID}`, stackAccount,
      undefined, { 'aws:RequestedRegion': region }, want);
    for (const stack of this.apps) {
      for (const region of regionsToTry) {
        for (const op of ['cloudformation:CreateStack', 'cloudformation:UpdateStack']) {
          await cfn(`on ${stack} in ${region}`, op, account, region, stack,
            regions.includes(region) ? ALLOWED : DENIED);
        }
      }
      const others = [this.spec.account, ...targets.map((x) => x.account)].filter((a) => a !== account);
      for (const other of others) {
        await cfn(`on ${stack} of ${other}`, 'cloudformation:CreateStack', other, regions[0], stack, DENIED);
      }
    }
    await cfn('on another stack', 'cloudformation:CreateStack', account, regions[0], 'not-an-app', DENIED);
    const pass = (what, arn, service, want) => this.checks.request(
      `${account}'s action role passes ${what} to ${service}`, action, 'iam:PassRole', arn, accountOf(arn),
      undefined, { 'iam:PassedToService': service }, want);
    await pass('its deploy role', deploy.arn, 'cloudformation.amazonaws.com', ALLOWED);
    await pass('its deploy role', deploy.arn, 'lambda.amazonaws.com', DENIED);
    await pass('another role of its account', roleArn(account, 'mrp/other'), 'cloudformation.amazonaws.com',
      DENIED);
    for (const u of targets.filter((x) => x.account !== account)) {
      await pass(`${u.account}'s deploy role`, u.deploy.arn, 'cloudformation.amazonaws.com', DENIED);
    }
  }
}

async function main(argv) {
  const args = argv.slice(2);
  if (args.length !== 0 && args.length !== 2) {
    console.error(`usage: node ${PROG}.js [SPEC-DIR OUTPUT-ROOT]`);
    return 2;
  }
  const [specDir, outputRoot] = args.length === 2 ? args
    : [path.join(ROOT, 'specs', 'release-train'), path.join(ROOT, 'golden', 'release-train')];
  const simulate = loadSimulate();
  let checks;
  try {
    checks = await new AccountsEvaluation(simulate, specDir, outputRoot).run();
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    console.error(`${PROG}: ${e.message}`);
    return 2;
  }
  console.log(`${PROG}: ${checks.count} checks, ${checks.failed} failed`);
  return checks.failed > 0 ? 1 : 0;
}

main(process.argv).then((code) => {
  process.exitCode = code;
}, (e) => {
  console.error(`${PROG}: ${e.stack || e}`);
  process.exitCode = 2;
});
