#!/usr/bin/env node
// Checks CloudFormation templates against cdk-nag's AWS Solutions rule pack
// (AwsSolutionsChecks), a security and best-practice review that is
// independent of mrp's own checks.
//
// Usage: node nag-cfn.js [--accepted FILE] TEMPLATE...
//
// Each template is loaded into its own cdk.App / Stack with CfnInclude, the
// pack is registered as a CDK policy validation plugin and the app is
// synthesized; the findings come from the synthesized validation report
// (validation-report.json, which lists only plugins that found something).
// Output, templates in argument order, each template's lines sorted:
//
//   ok TEMPLATE                                     (no finding at all)
//   TEMPLATE: LEVEL RULE-ID LogicalId: message      (a finding not accepted)
//   TEMPLATE: LEVEL RULE-ID LogicalId: message [accepted]
//   TEMPLATE: ERROR include: <message>   (file missing, or CfnInclude threw)
//   TEMPLATE: ERROR synth: <message>     (app.synth() threw)
//   TEMPLATE: ERROR nag-cfn: <message>   (the pack did not run, or threw)
//
// then every finding that is not accepted and every error once more, sorted,
// as "unexpected: LINE", a note for each accepted entry that matched no
// finding (stale entries; not a failure), and a summary:
//
//   unexpected: TEMPLATE: LEVEL RULE-ID LogicalId: message
//   note: FILE:LINE matched no finding: FILE-GLOB RULE-ID LOGICAL-ID
//   nag-cfn: N findings in T templates, A accepted, U unexpected[, E errors]
//
// LEVEL is ERROR or WARNING. RULE-ID is cdk-nag's, including the finding in
// brackets for rules that report several per resource, e.g.
// AwsSolutions-IAM4[Policy::arn:aws:iam::aws:policy/AdministratorAccess].
// The message is the rule's one-line summary (the pack runs with verbose off).
//
// The accepted-findings file (nag-accepted.txt) lists findings accepted on
// purpose, one per line; '#' starts a comment, blank lines are skipped:
//
//   FILE-GLOB  RULE-ID  LOGICAL-ID  -- reason
//
//   FILE-GLOB   matched against the end of the template path at a '/'
//               boundary: 'deployment-pipeline/pipeline.yaml' matches every
//               output root's pipeline, 'golden/ledger/*/pipeline.yaml' one.
//               '*' and '?' stay within one path segment, '**' crosses them.
//   RULE-ID     exact, including any [finding] suffix (which can contain a
//               literal '*', e.g. AwsSolutions-IAM5[Resource::*]).
//   LOGICAL-ID  the resource's logical id, exact, or '*' for any resource.
//   reason      required: why the finding is accepted.
//
// The include/synth/nag-cfn errors above are never accepted.
//
// Exit status: 0 every finding accepted, 1 at least one unexpected finding
// or error, 2 usage or setup error (including a malformed accepted file).
// All templates are checked in one process, which keeps it fast (aws-cdk-lib
// and the rule pack are loaded once).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const PROG = 'nag-cfn';
// Do not throw (and print the report to stderr) on failed validation: the
// report file is read and printed below instead.
const FAIL_SYNTH_FLAG = '@aws-cdk/core:failSynthOnValidationErrors';
const REPORT_FILE = 'validation-report.json';
const STACK_ID = 'Nagged';

class SetupError extends Error {}

function loadLibs() {
  try {
    return {
      cdk: require('aws-cdk-lib'),
      CfnInclude: require('aws-cdk-lib/cloudformation-include').CfnInclude,
      AwsSolutionsChecks: require('cdk-nag').AwsSolutionsChecks,
    };
  } catch (e) {
    console.error(`${PROG}: cannot load aws-cdk-lib or cdk-nag (${e.message.split('\n')[0]}).`);
    console.error(`${PROG}: run 'npm install --no-audit --no-fund --no-package-lock' in ${__dirname} (tests/validators/run.sh does it for you).`);
    process.exit(2);
  }
}

function oneLine(text) {
  return String(text).replace(/\s*\n\s*/g, ' ').trim();
}

// --- accepted findings -------------------------------------------------------

// FILE-GLOB -> RegExp matching a whole path or its end after a '/'.
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // '**/' also matches no folder at all.
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[\\^$.|+(){}[\]]/g, '\\$&');
    }
  }
  return new RegExp(`(?:^|/)${re}$`);
}

function normalizePath(p) {
  return path.normalize(p).split(path.sep).join('/');
}

function parseAccepted(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SetupError(`cannot read accepted file ${file}: ${e.message}`);
  }
  const entries = [];
  const problems = [];
  text.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) return;
    const sep = line.search(/\s--(\s|$)/);
    if (sep < 0) {
      problems.push(`${where}: missing ' -- reason'`);
      return;
    }
    const fields = line.slice(0, sep).trim().split(/\s+/);
    const reason = line.slice(sep).replace(/^\s--/, '').trim();
    if (fields.length !== 3) {
      problems.push(`${where}: want FILE-GLOB RULE-ID LOGICAL-ID before ' -- ', got ${fields.length} field(s)`);
      return;
    }
    if (!reason) {
      problems.push(`${where}: empty reason`);
      return;
    }
    const [glob, ruleId, logicalId] = fields;
    entries.push({ where, glob, fileRe: globToRegExp(glob), ruleId, ruleRe: ruleIdToRegExp(ruleId), logicalId, used: 0 });
  });
  if (problems.length > 0) {
    throw new SetupError(`malformed accepted file:\n${problems.join('\n')}`);
  }
  return entries;
}

// A RULE-ID is exact but for two placeholders, which stand for what differs
// from one spec to the next in an ARN: {name} a pipeline or stack name
// (letters, digits, hyphens), {region} a region code. '*' stays literal.
function ruleIdToRegExp(ruleId) {
  const parts = ruleId.split(/(\{name\}|\{region\})/);
  const re = parts.map((part) => {
    if (part === '{name}') return '[A-Za-z][A-Za-z0-9-]*';
    if (part === '{region}') return '[a-z]{2}(?:-[a-z]+)+-[0-9]';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${re}$`);
}

function findAccepting(entries, template, finding) {
  const p = normalizePath(template);
  return entries.find((e) => e.ruleRe.test(finding.ruleId)
    && (e.logicalId === '*' || e.logicalId === finding.logicalId)
    && e.fileRe.test(p));
}

// --- checking ----------------------------------------------------------------

// Construct path -> logical id, for every CfnResource under the stack.
function logicalIds(cdk, stack) {
  const ids = new Map();
  for (const c of stack.node.findAll()) {
    if (cdk.CfnResource.isCfnResource(c)) ids.set(c.node.path, stack.resolve(c.logicalId));
  }
  return ids;
}

// Returns { findings: [{level, ruleId, logicalId, message}], errors: [line] }.
function nagOne(libs, template, tmpRoot, index) {
  const { cdk, CfnInclude, AwsSolutionsChecks } = libs;
  const outdir = fs.mkdtempSync(path.join(tmpRoot, `app${index}-`));
  const findings = [];
  const errors = [];
  try {
    const app = new cdk.App({
      outdir,
      analyticsReporting: false,
      // The CDK's built-in CloudFormation Validate plugin is validate-cfn.js's
      // job; it would only slow this down.
      builtinCloudFormationValidation: false,
      context: { [FAIL_SYNTH_FLAG]: false },
    });
    const stack = new cdk.Stack(app, STACK_ID, {
      // Keep the synthesized template equal to the included one.
      synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    try {
      new CfnInclude(stack, 'Template', { templateFile: template });
    } catch (e) {
      return { findings, errors: [`ERROR include: ${oneLine(e.message)}`] };
    }
    const pack = new AwsSolutionsChecks(app, { verbose: false });
    // The report leaves out plugins that found nothing, so a clean template
    // and a pack that never ran look the same there: record the call.
    let ran = false;
    cdk.Validations.of(app).addPlugins({
      name: pack.name,
      version: pack.version,
      ruleIds: pack.ruleIds,
      validate(context) {
        ran = true;
        return pack.validate(context);
      },
    });
    try {
      app.synth();
    } catch (e) {
      errors.push(`ERROR synth: ${oneLine(e.message)}`);
    }
    if (!ran) {
      if (errors.length === 0) errors.push(`ERROR ${PROG}: synth did not run the ${pack.name} rule pack`);
      return { findings, errors };
    }
    const reportPath = path.join(outdir, REPORT_FILE);
    if (!fs.existsSync(reportPath)) {
      errors.push(`ERROR ${PROG}: synth wrote no ${REPORT_FILE}`);
      return { findings, errors };
    }
    const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
    const ours = (report.pluginReports || []).filter((r) => r.pluginName === pack.name);
    const ids = logicalIds(cdk, stack);
    for (const plugin of ours) {
      const violations = plugin.violations || [];
      if (plugin.conclusion !== 'success' && violations.length === 0) {
        // The rule pack threw: the CDK puts its message in metadata.error.
        const why = plugin.metadata && plugin.metadata.error
          ? oneLine(plugin.metadata.error) : `${plugin.pluginName} reported ${plugin.conclusion} without findings`;
        errors.push(`ERROR ${PROG}: ${why}`);
      }
      for (const v of violations) {
        const level = String(v.severity || 'unknown').toUpperCase();
        const constructs = v.violatingConstructs || [];
        if (constructs.length === 0) {
          findings.push({ level, ruleId: v.ruleName, logicalId: '-', message: oneLine(v.description) });
        }
        for (const c of constructs) {
          const cpath = c.constructPath || '';
          const logicalId = ids.get(cpath) || cpath.split('/').pop() || '-';
          findings.push({ level, ruleId: v.ruleName, logicalId, message: oneLine(v.description) });
        }
      }
    }
    return { findings, errors };
  } catch (e) {
    errors.push(`ERROR ${PROG}: ${oneLine(e.message)}`);
    return { findings, errors };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function usage() {
  console.error('usage: node nag-cfn.js [--accepted FILE] TEMPLATE...');
  return 2;
}

function main(argv) {
  const args = argv.slice(2);
  let acceptedFile;
  const templates = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return usage();
    if (a === '--accepted') {
      if (i + 1 >= args.length) return usage();
      acceptedFile = args[++i];
    } else if (a.startsWith('--accepted=')) {
      acceptedFile = a.slice('--accepted='.length);
    } else if (a === '--') {
      templates.push(...args.slice(i + 1));
      break;
    } else if (a.startsWith('-')) {
      console.error(`${PROG}: unknown option ${a}`);
      return usage();
    } else {
      templates.push(a);
    }
  }
  if (templates.length === 0) return usage();

  let accepted = [];
  if (acceptedFile !== undefined) {
    try {
      accepted = parseAccepted(acceptedFile);
    } catch (e) {
      if (!(e instanceof SetupError)) throw e;
      console.error(`${PROG}: ${e.message}`);
      return 2;
    }
  }

  const libs = loadLibs();
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-cfn-'));
  let total = 0;
  let acceptedCount = 0;
  const unexpected = [];
  try {
    templates.forEach((template, i) => {
      const { findings, errors } = fs.existsSync(template)
        ? nagOne(libs, template, tmpRoot, i)
        : { findings: [], errors: ['ERROR include: no such file'] };
      const lines = [];
      for (const f of findings) {
        total += 1;
        const line = `${template}: ${f.level} ${f.ruleId} ${f.logicalId}: ${f.message}`;
        const entry = findAccepting(accepted, template, f);
        if (entry) {
          entry.used += 1;
          acceptedCount += 1;
          lines.push(`${line} [accepted]`);
        } else {
          lines.push(line);
          unexpected.push(line);
        }
      }
      for (const e of errors) {
        lines.push(`${template}: ${e}`);
        unexpected.push(`${template}: ${e}`);
      }
      if (lines.length === 0) {
        console.log(`ok ${template}`);
      } else {
        lines.sort();
        for (const line of lines) console.log(line);
      }
    });
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
  unexpected.sort();
  for (const line of unexpected) console.log(`unexpected: ${line}`);
  for (const e of accepted) {
    if (e.used === 0) console.log(`note: ${e.where} matched no finding: ${e.glob} ${e.ruleId} ${e.logicalId}`);
  }
  const errorCount = unexpected.length - (total - acceptedCount);
  console.log(`${PROG}: ${total} findings in ${templates.length} templates, ${acceptedCount} accepted, `
    + `${total - acceptedCount} unexpected${errorCount ? `, ${errorCount} errors` : ''}`);
  return unexpected.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv);
