// Readers for iam-eval.js: CloudFormation YAML with its short-form tags, the
// few parts of a .mrp spec the evaluation needs, and the intrinsic functions
// of a generated pipeline template resolved to the values CloudFormation
// would give them in one made-up account.
'use strict';

const fs = require('fs');
const path = require('path');

// The `yaml` package that aws-cdk-lib bundles (version 1): no install of our
// own. Its parseDocument keeps each node's tag, so !Ref, !Sub, ... can be
// turned into their long forms ({"Ref": ...}, {"Fn::Sub": ...}).
function loadYaml() {
  const dir = path.join(__dirname, 'node_modules', 'aws-cdk-lib', 'node_modules', 'yaml');
  return require(dir);
}

class ReadError extends Error {}

// --- CloudFormation YAML ----------------------------------------------------

// A node of yaml's document model to plain JavaScript, short forms expanded.
function nodeValue(node) {
  if (node === null || node === undefined) return null;
  if (node.type === 'ALIAS') return nodeValue(node.source);
  let value;
  if (node.type === 'MAP' || node.type === 'FLOW_MAP') {
    value = {};
    for (const pair of node.items) {
      const key = pair.key && pair.key.type !== undefined ? nodeValue(pair.key) : pair.key;
      value[String(key)] = nodeValue(pair.value);
    }
  } else if (node.type === 'SEQ' || node.type === 'FLOW_SEQ') {
    value = node.items.map(nodeValue);
  } else {
    value = node.value === undefined ? null : node.value;
  }
  const tag = node.tag;
  if (typeof tag !== 'string' || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

function parseCfnYaml(text, file) {
  const YAML = loadYaml();
  const doc = YAML.parseDocument(text, { schema: 'core', keepCstNodes: false });
  if (doc.errors.length > 0) {
    throw new ReadError(`${file}: not YAML: ${String(doc.errors[0].message).split('\n')[0]}`);
  }
  return nodeValue(doc.contents);
}

function readCfnFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReadError(`${file}: cannot read: ${e.code || e.message}`);
  }
  const value = text.trimStart().startsWith('{') ? JSON.parse(text) : parseCfnYaml(text, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ReadError(`${file}: not a template (not a map)`);
  }
  return value;
}

// --- .mrp specs ---------------------------------------------------------------

// Tokens of the .mrp syntax (docs/language.md §1): words, strings, { } ;
// and line ends; comments dropped, `\` continuations joined.
function tokenize(text, file) {
  const tokens = [];
  let i = 0;
  let line = 1;
  const fail = (msg) => {
    throw new ReadError(`${file}:${line}: ${msg}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      line += 1;
    } else if (c === '\n') {
      tokens.push({ kind: 'end' });
      line += 1;
      i += 1;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i += 1;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === ';') {
      tokens.push({ kind: 'end' });
      i += 1;
    } else if (c === '{' || c === '}') {
      tokens.push({ kind: c });
      i += 1;
    } else if (c === '"') {
      let s = '';
      i += 1;
      for (;;) {
        if (i >= text.length || text[i] === '\n') fail('unterminated string');
        const d = text[i];
        if (d === '"') break;
        if (d === '\\') {
          const e = text[i + 1];
          const escapes = { '"': '"', '\\': '\\', n: '\n', t: '\t', $: '$' };
          if (!(e in escapes)) fail(`bad escape \\${e}`);
          s += escapes[e];
          i += 2;
        } else {
          s += d;
          i += 1;
        }
      }
      i += 1;
      tokens.push({ kind: 'arg', text: s });
    } else {
      let s = '';
      while (i < text.length && !' \t\r\n"{};#\\'.includes(text[i])) s += text[i++];
      if (s === '') fail(`unexpected ${JSON.stringify(c)}`);
      tokens.push({ kind: 'arg', text: s });
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

// Directives as {name, args, block}, block null or a list of directives.
function parseDirectives(tokens, file) {
  let pos = 0;
  function list(closing) {
    const out = [];
    for (;;) {
      const t = tokens[pos];
      if (t === undefined) {
        if (closing) throw new ReadError(`${file}: a block is not closed`);
        return out;
      }
      if (t.kind === 'end') {
        pos += 1;
      } else if (t.kind === '}') {
        if (!closing) throw new ReadError(`${file}: stray }`);
        pos += 1;
        return out;
      } else if (t.kind === '{') {
        throw new ReadError(`${file}: a block without a directive`);
      } else {
        const d = { name: t.text, args: [], block: null };
        pos += 1;
        while (tokens[pos] && tokens[pos].kind === 'arg') d.args.push(tokens[pos++].text);
        if (tokens[pos] && tokens[pos].kind === '{') {
          pos += 1;
          d.block = list(true);
        }
        out.push(d);
      }
    }
  }
  return list(false);
}

// What the evaluation needs of a spec: its pipeline name, its account (null
// when the spec names none), its regions (the first is the home region), its
// waves ({name, account, regions}; a wave without an account of its own is in
// the pipeline's, a spec without waves has one wave named by its regions) and
// its apps (stack, template, boundary).
function readSpec(specFile) {
  let text;
  try {
    text = fs.readFileSync(specFile, 'utf8');
  } catch (e) {
    throw new ReadError(`${specFile}: cannot read: ${e.code || e.message}`);
  }
  const top = parseDirectives(tokenize(text, specFile), specFile);
  const pipeline = top.find((d) => d.name === 'pipeline');
  if (!pipeline || !pipeline.block) throw new ReadError(`${specFile}: no pipeline block`);
  const body = pipeline.block;
  const accountLine = body.find((d) => d.name === 'account');
  const account = accountLine ? accountLine.args[0] : null;
  const regions = [];
  const waves = [];
  for (const d of body.filter((x) => x.name === 'regions')) {
    const plain = [...d.args];
    regions.push(...d.args);
    for (const line of d.block || []) {
      if (line.name !== 'wave') {
        plain.push(line.name, ...line.args);
        regions.push(line.name, ...line.args);
        continue;
      }
      const wave = { name: line.args[0], account, regions: [] };
      for (const w of line.block || []) {
        if (w.name === 'account') wave.account = w.args[0];
        else if (!['approve', 'approve-change-sets', 'on-failure'].includes(w.name)) {
          wave.regions.push(w.name, ...w.args);
        }
      }
      waves.push(wave);
      regions.push(...wave.regions);
    }
    if (plain.length > 0) waves.unshift({ name: plain.join(' '), account, regions: plain });
  }
  const apps = body.filter((d) => d.name === 'app').map((d) => {
    const child = (name) => (d.block || []).find((x) => x.name === name);
    const permissions = child('permissions');
    const boundary = permissions && permissions.block
      ? permissions.block.find((x) => x.name === 'boundary') : undefined;
    const template = child('template');
    if (!template || template.args.length !== 1) {
      throw new ReadError(`${specFile}: app ${d.args[0]} has no template`);
    }
    return {
      stack: d.args[0],
      template: template.args[0],
      boundary: boundary ? boundary.args[0] : null,
    };
  });
  if (regions.length === 0 || apps.length === 0) {
    throw new ReadError(`${specFile}: no regions or no app`);
  }
  return { name: pipeline.args[0], account, regions, waves, apps };
}

// --- intrinsic functions ------------------------------------------------------

const NO_VALUE = Symbol('AWS::NoValue');

// A made-up but well-formed suffix, as CloudFormation appends to the names it
// makes up ("STACK-LogicalId-1A2B3C4D5E6F").
const NAME_SUFFIX = '1A2B3C4D5E6F';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

function generatedName(stack, logicalId) {
  return `${stack}-${logicalId}-${NAME_SUFFIX}`.slice(0, 64);
}

// Resolves Ref, Fn::Sub, Fn::GetAtt, Fn::Join, Fn::If (and the condition
// functions), Fn::Select, Fn::Split in a template of the stack `stack` in
// `region`; the template's own resources resolve to realistic names and ARNs.
class Resolver {
  constructor(template, env) {
    this.template = template;
    this.env = env; // { partition, account, region, stack }
    this.resources = template.Resources || {};
    this.conditions = template.Conditions || {};
    this.parameters = template.Parameters || {};
  }

  pseudo(name) {
    const e = this.env;
    const table = {
      'AWS::Partition': e.partition,
      'AWS::AccountId': e.account,
      'AWS::Region': e.region,
      'AWS::StackName': e.stack,
      'AWS::StackId': `arn:${e.partition}:cloudformation:${e.region}:${e.account}:stack/${e.stack}/${KEY_ID}`,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NoValue': NO_VALUE,
    };
    return table[name];
  }

  ref(name) {
    const p = this.pseudo(name);
    if (p !== undefined) return p;
    if (name in this.parameters) {
      const def = this.parameters[name].Default;
      if (def === undefined) throw new ReadError(`parameter ${name} has no Default`);
      return this.value(def);
    }
    const res = this.resources[name];
    if (!res) throw new ReadError(`Ref to ${name}, which the template does not declare`);
    return this.refOf(name, res);
  }

  nameOf(logicalId, res, property) {
    const props = res.Properties || {};
    if (property && props[property] !== undefined) return this.value(props[property]);
    return generatedName(this.env.stack, logicalId);
  }

  // What Ref gives for a resource of the template (the CloudFormation
  // documentation's "Return values" of each type).
  refOf(logicalId, res) {
    const e = this.env;
    switch (res.Type) {
      case 'AWS::IAM::ManagedPolicy':
        return this.arnOf(logicalId, res);
      case 'AWS::IAM::Role':
        return this.nameOf(logicalId, res, 'RoleName');
      case 'AWS::CodeBuild::Project':
      case 'AWS::CodePipeline::Pipeline':
      case 'AWS::Events::Rule':
        return this.nameOf(logicalId, res, 'Name');
      case 'AWS::S3::Bucket':
        return this.nameOf(logicalId, res, 'BucketName').toLowerCase();
      case 'AWS::SNS::Topic':
        return this.arnOf(logicalId, res);
      case 'AWS::KMS::Key':
        return KEY_ID;
      default:
        return generatedName(e.stack, logicalId);
    }
  }

  arnOf(logicalId, res) {
    const e = this.env;
    const props = res.Properties || {};
    const regional = (service, resource) =>
      `arn:${e.partition}:${service}:${e.region}:${e.account}:${resource}`;
    const iamPath = props.Path !== undefined ? this.value(props.Path) : '/';
    switch (res.Type) {
      case 'AWS::IAM::Role':
        return `arn:${e.partition}:iam::${e.account}:role${iamPath}${this.refOf(logicalId, res)}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${e.partition}:iam::${e.account}:policy${iamPath}${
          this.nameOf(logicalId, res, 'ManagedPolicyName')}`;
      case 'AWS::CodeBuild::Project':
        return regional('codebuild', `project/${this.refOf(logicalId, res)}`);
      case 'AWS::CodePipeline::Pipeline':
        return regional('codepipeline', this.refOf(logicalId, res));
      case 'AWS::Events::Rule':
        return regional('events', `rule/${this.refOf(logicalId, res)}`);
      case 'AWS::S3::Bucket':
        return `arn:${e.partition}:s3:::${this.refOf(logicalId, res)}`;
      case 'AWS::SNS::Topic':
        return regional('sns', this.nameOf(logicalId, res, 'TopicName'));
      case 'AWS::KMS::Key':
        return regional('kms', `key/${KEY_ID}`);
      default: {
        const [, service, kind] = String(res.Type).split('::');
        return regional(String(service).toLowerCase(),
          `${String(kind).toLowerCase()}/${generatedName(e.stack, logicalId)}`);
      }
    }
  }

  getAtt(logicalId, attribute) {
    const res = this.resources[logicalId];
    if (!res) throw new ReadError(`Fn::GetAtt of ${logicalId}, which the template does not declare`);
    if (attribute === 'Arn') return this.arnOf(logicalId, res);
    return `${generatedName(this.env.stack, logicalId)}.${attribute}`;
  }

  sub(text, vars) {
    return text.replace(/\$\{([^}]*)\}/g, (whole, name) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let v;
      if (vars && name in vars) v = this.value(vars[name]);
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        v = this.getAtt(name.slice(0, dot), name.slice(dot + 1));
      } else v = this.ref(name);
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw new ReadError(`Fn::Sub: \${${name}} is not a string`);
      }
      return String(v);
    });
  }

  condition(name) {
    const c = this.conditions[name];
    if (c === undefined) throw new ReadError(`condition ${name} is not declared`);
    return this.truth(c);
  }

  truth(expr) {
    if (typeof expr === 'boolean') return expr;
    const [fn] = Object.keys(expr || {});
    const args = expr[fn];
    switch (fn) {
      case 'Condition': return this.condition(args);
      case 'Fn::Equals': return String(this.value(args[0])) === String(this.value(args[1]));
      case 'Fn::Not': return !this.truth(args[0]);
      case 'Fn::And': return args.every((a) => this.truth(a));
      case 'Fn::Or': return args.some((a) => this.truth(a));
      default: throw new ReadError(`cannot evaluate condition ${JSON.stringify(expr)}`);
    }
  }

  // The value of a template fragment, every intrinsic function resolved.
  value(v) {
    if (Array.isArray(v)) return v.map((x) => this.value(x)).filter((x) => x !== NO_VALUE);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [fn] = keys;
      const a = v[fn];
      switch (fn) {
        case 'Ref': return this.ref(a);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(a) ? a : String(a).split(/\.(.*)/);
          return this.getAtt(id, this.value(attr));
        }
        case 'Fn::Sub':
          return Array.isArray(a) ? this.sub(a[0], a[1]) : this.sub(a, null);
        case 'Fn::Join': return this.value(a[1]).join(a[0]);
        case 'Fn::Select': return this.value(a[1])[Number(this.value(a[0]))];
        case 'Fn::Split': return String(this.value(a[1])).split(a[0]);
        case 'Fn::If': return this.condition(a[0]) ? this.value(a[1]) : this.value(a[2]);
        case 'Fn::Base64': return this.value(a);
        default:
          if (fn.startsWith('Fn::')) throw new ReadError(`cannot resolve ${fn}`);
      }
    }
    const out = {};
    for (const k of keys) {
      const x = this.value(v[k]);
      if (x !== NO_VALUE) out[k] = x;
    }
    return out;
  }
}

module.exports = { ReadError, readCfnFile, readSpec, Resolver, generatedName, NAME_SUFFIX, KEY_ID };
