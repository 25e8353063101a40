#!/usr/bin/env node
// Checks CloudFormation templates against cdk-nag's AWS Solutions rule pack
// (AwsSolutionsChecks), a security and best-practice review that is
// independent of mrp's own checks.
//
// Usage: node nag-cfn.js TEMPLATE...
//
// Each template is loaded into its own cdk.App / Stack with CfnInclude, the
// pack is registered as a CDK policy validation plugin and the app is
// synthesized; the findings come from the synthesized validation report
// (validation-report.json, which lists only plugins that found something).
//
// A finding is suppressed only by its own resource, in the template, the way
// cdk-nag has always written suppressions into templates:
//
//   LogicalId:
//     Type: ...
//     Metadata:
//       cdk_nag:
//         rules_to_suppress:
//           - id: AwsSolutions-IAM5             the rule, without [finding]
//             reason: why the finding is acceptable   (required)
//             applies_to:                       which findings of the rule
//               - Resource::arn:<AWS::Partition>:s3:::bucket/*    exact
//               - regex: /^Resource::arn:.*:stack\/app\/\*$/   a pattern
//
// cdk-nag 3 no longer reads this metadata itself (it acknowledges rules on
// constructs; CfnInclude keeps the metadata, not acknowledgements), so this
// script applies it with cdk-nag 2's meaning, made stricter: a rule that
// reports findings (RULE[finding]) is suppressed only by an applies_to item
// that matches the finding, never by an entry without applies_to; a rule
// without findings only by an entry without applies_to. Every entry and every
// applies_to item must suppress something: one that matches no finding is a
// stale explanation and an error, as is a malformed entry.
//
// Output, templates in argument order, each template's lines sorted:
//
//   ok TEMPLATE [(N suppressed)]                 (nothing left unsuppressed)
//   TEMPLATE: LEVEL RULE-ID LogicalId: message   (a finding not suppressed)
//   TEMPLATE: LEVEL RULE-ID LogicalId: message [suppressed]   (beside those)
//   TEMPLATE: ERROR suppression LogicalId: <problem>   (malformed or stale)
//   TEMPLATE: ERROR include: <message>   (file missing, or CfnInclude threw)
//   TEMPLATE: ERROR synth: <message>     (app.synth() threw)
//   TEMPLATE: ERROR nag-cfn: <message>   (the pack did not run, or threw)
//
// then every finding not suppressed and every error once more, sorted, as
// "unexpected: LINE", and a summary:
//
//   unexpected: TEMPLATE: LEVEL RULE-ID LogicalId: message
//   nag-cfn: N findings in T templates, S suppressed, U unexpected[, E errors]
//
// LEVEL is ERROR or WARNING. RULE-ID is cdk-nag's, including the finding in
// brackets for rules that report several per resource, e.g.
// AwsSolutions-IAM4[Policy::arn:aws:iam::aws:policy/AdministratorAccess].
// The message is the rule's one-line summary (the pack runs with verbose off).
//
// Exit status: 0 every finding suppressed and no error, 1 otherwise, 2 usage
// or setup error. All templates are checked in one process, which keeps it
// fast (aws-cdk-lib and the rule pack are loaded once).
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

// --- suppressions in the template ------------------------------------------

// "/PATTERN/FLAGS" -> RegExp, as cdk-nag 2 read applies_to patterns.
function patternToRegExp(text) {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (!m) throw new Error(`regex ${JSON.stringify(text)} is not /PATTERN/FLAGS`);
  return new RegExp(m[1], m[2]);
}

// The cdk_nag suppressions of every resource: logical id -> [{id, reason,
// items: [{text, test(finding)}] or null, used}]; problems go to `errors`.
function templateSuppressions(cdk, stack, ids, errors) {
  const byLogicalId = new Map();
  for (const c of stack.node.findAll()) {
    if (!cdk.CfnResource.isCfnResource(c)) continue;
    const logicalId = ids.get(c.node.path);
    const metadata = c.cfnOptions.metadata;
    if (!metadata || metadata.cdk_nag === undefined) continue;
    const problem = (what) => errors.push(`ERROR suppression ${logicalId}: ${what}`);
    const rules = metadata.cdk_nag && metadata.cdk_nag.rules_to_suppress;
    if (!Array.isArray(rules)) {
      problem('cdk_nag needs a rules_to_suppress list');
      continue;
    }
    const entries = [];
    rules.forEach((r, i) => {
      const where = `rules_to_suppress[${i}]`;
      if (!r || typeof r.id !== 'string' || !r.id) return problem(`${where} has no id`);
      if (typeof r.reason !== 'string' || !r.reason.trim()) return problem(`${where} (${r.id}) has no reason`);
      let items = null;
      if (r.applies_to !== undefined) {
        if (!Array.isArray(r.applies_to) || r.applies_to.length === 0) {
          return problem(`${where} (${r.id}): applies_to must be a list of findings`);
        }
        items = [];
        for (const a of r.applies_to) {
          if (typeof a === 'string') {
            items.push({ text: a, test: (f) => f === a, used: 0 });
          } else if (a && typeof a.regex === 'string') {
            try {
              const re = patternToRegExp(a.regex);
              items.push({ text: `regex ${a.regex}`, test: (f) => re.test(f), used: 0 });
            } catch (e) {
              return problem(`${where} (${r.id}): ${e.message}`);
            }
          } else {
            return problem(`${where} (${r.id}): an applies_to item is neither a finding nor {regex}`);
          }
        }
      }
      entries.push({ id: r.id, items, used: 0 });
    });
    byLogicalId.set(logicalId, entries);
  }
  return byLogicalId;
}

// Whether the resource's own suppressions cover the finding; marks what matched.
function suppress(suppressions, finding) {
  const entries = suppressions.get(finding.logicalId) || [];
  const m = /^([^[]*)(?:\[(.*)\])?$/s.exec(finding.ruleId);
  const [rule, detail] = [m[1], m[2]];
  for (const e of entries) {
    if (e.id !== rule) continue;
    if (detail === undefined) {
      if (e.items === null) {
        e.used += 1;
        return true;
      }
      continue;
    }
    if (e.items === null) continue;
    const item = e.items.find((i) => i.test(detail));
    if (item) {
      item.used += 1;
      e.used += 1;
      return true;
    }
  }
  return false;
}

// An entry, or an applies_to item, that suppressed nothing.
function staleSuppressions(suppressions) {
  const out = [];
  for (const [logicalId, entries] of suppressions) {
    for (const e of entries) {
      if (e.items === null) {
        if (e.used === 0) out.push(`ERROR suppression ${logicalId}: ${e.id} matches no finding`);
        continue;
      }
      for (const i of e.items) {
        if (i.used === 0) out.push(`ERROR suppression ${logicalId}: ${e.id} applies_to ${i.text} matches no finding`);
      }
    }
  }
  return out;
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
    const suppressions = templateSuppressions(cdk, stack, ids, errors);
    for (const f of findings) f.suppressed = suppress(suppressions, f);
    errors.push(...staleSuppressions(suppressions));
    return { findings, errors };
  } catch (e) {
    errors.push(`ERROR ${PROG}: ${oneLine(e.message)}`);
    return { findings, errors };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function usage() {
  console.error('usage: node nag-cfn.js TEMPLATE...');
  return 2;
}

function main(argv) {
  const args = argv.slice(2);
  const templates = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return usage();
    if (a === '--') {
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

  const libs = loadLibs();
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-cfn-'));
  let total = 0;
  let suppressedCount = 0;
  const unexpected = [];
  try {
    templates.forEach((template, i) => {
      const { findings, errors } = fs.existsSync(template)
        ? nagOne(libs, template, tmpRoot, i)
        : { findings: [], errors: ['ERROR include: no such file'] };
      const lines = [];
      let suppressedHere = 0;
      for (const f of findings) {
        total += 1;
        const line = `${template}: ${f.level} ${f.ruleId} ${f.logicalId}: ${f.message}`;
        if (f.suppressed) {
          suppressedHere += 1;
          lines.push(`${line} [suppressed]`);
        } else {
          lines.push(line);
          unexpected.push(line);
        }
      }
      suppressedCount += suppressedHere;
      for (const e of errors) {
        lines.push(`${template}: ${e}`);
        unexpected.push(`${template}: ${e}`);
      }
      if (lines.length === suppressedHere) {
        console.log(`ok ${template}${suppressedHere ? ` (${suppressedHere} suppressed)` : ''}`);
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
  const errorCount = unexpected.length - (total - suppressedCount);
  console.log(`${PROG}: ${total} findings in ${templates.length} templates, ${suppressedCount} suppressed, `
    + `${total - suppressedCount} unexpected${errorCount ? `, ${errorCount} errors` : ''}`);
  return unexpected.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv);
