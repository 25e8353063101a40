#!/usr/bin/env node
// Validates CloudFormation templates with the CDK's built-in
// "CloudFormation Validate" plugin (the cfn-lint rule engine that ships inside
// aws-cdk-lib).
//
// Usage: node validate-cfn.js TEMPLATE...
//
// Each template is loaded into a fresh cdk.App / Stack with CfnInclude and
// synthesized; every finding of the validator (errors AND warnings) is a
// failure. Output, one line per finding or template:
//
//   ok TEMPLATE
//   TEMPLATE: SEVERITY RULE-ID: message (resource path)
//   TEMPLATE: ERROR include: <message>   (file missing, or CfnInclude threw:
//                                          bad YAML, Ref/GetAtt to nothing...)
//   TEMPLATE: ERROR synth: <message>     (app.synth() threw, e.g. a property
//                                          of the wrong type)
//
// SEVERITY is the report's severity upper-cased (ERROR, WARNING); the resource
// path is Resources.<LogicalId>[.Properties.<path>], or "template" for
// findings outside Resources (their message starts with e.g. Parameters/X).
//
// Exit status: 0 all templates clean, 1 at least one failed, 2 usage or
// setup error. All templates are checked in one process, which keeps it fast
// (the validation engine is loaded once).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const VALIDATE_FLAG = '@aws-cdk/core:validateAgainstDefaultRules';
// Do not throw (and print the report to stderr) on failed validation: the
// report file is read and printed below instead.
const FAIL_SYNTH_FLAG = '@aws-cdk/core:failSynthOnValidationErrors';
const REPORT_FILE = 'validation-report.json';

function loadCdk() {
  try {
    return {
      cdk: require('aws-cdk-lib'),
      CfnInclude: require('aws-cdk-lib/cloudformation-include').CfnInclude,
    };
  } catch (e) {
    console.error(`validate-cfn: cannot load aws-cdk-lib (${e.message.split('\n')[0]}).`);
    console.error(`validate-cfn: run 'npm install --no-audit --no-fund --no-package-lock' in ${__dirname} (tests/validators/run.sh does it for you).`);
    process.exit(2);
  }
}

function oneLine(text) {
  return String(text).replace(/\s*\n\s*/g, ' ').trim();
}

// "(resource path)": where in the template the finding is, e.g.
// Resources.MyBucket.Properties.VersioningConfiguration.Status.
function locations(construct) {
  const res = construct.cloudFormationResource || {};
  const logicalId = res.logicalId;
  const props = Array.isArray(res.propertyPaths) ? res.propertyPaths : [];
  if (logicalId) {
    if (props.length === 0) return [`Resources.${logicalId}`];
    return props.map((p) => `Resources.${logicalId}.${p}`);
  }
  if (props.length > 0) return props;
  return ['template'];
}

// Returns a list of finding lines (without the "TEMPLATE: " prefix).
function findingsFromReport(report) {
  const lines = [];
  for (const plugin of report.pluginReports || []) {
    for (const v of plugin.violations || []) {
      const severity = String(v.severity || 'unknown').toUpperCase();
      const prefix = `${severity} ${v.ruleName}: ${oneLine(v.description)}`;
      const constructs = v.violatingConstructs && v.violatingConstructs.length > 0
        ? v.violatingConstructs : [{}];
      for (const c of constructs) {
        for (const loc of locations(c)) lines.push(`${prefix} (${loc})`);
      }
    }
    if (plugin.conclusion && plugin.conclusion !== 'success' && (plugin.violations || []).length === 0) {
      lines.push(`ERROR ${plugin.pluginName}: plugin reported ${plugin.conclusion} without findings`);
    }
  }
  return lines;
}

function validateOne(cdk, CfnInclude, template, tmpRoot, index) {
  const outdir = fs.mkdtempSync(path.join(tmpRoot, `app${index}-`));
  try {
    const app = new cdk.App({
      outdir,
      analyticsReporting: false,
      context: { [VALIDATE_FLAG]: true, [FAIL_SYNTH_FLAG]: false },
    });
    const stack = new cdk.Stack(app, 'Validated', {
      // Keep the synthesized template equal to the included one.
      synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    new CfnInclude(stack, 'Template', { templateFile: template });
    let thrown;
    try {
      app.synth();
    } catch (e) {
      thrown = e;
    }
    const reportPath = path.join(outdir, REPORT_FILE);
    const lines = [];
    if (fs.existsSync(reportPath)) {
      lines.push(...findingsFromReport(JSON.parse(fs.readFileSync(reportPath, 'utf8'))));
    }
    if (thrown) {
      lines.push(`ERROR synth: ${oneLine(thrown.message)}`);
    } else if (!fs.existsSync(reportPath)) {
      lines.push(`ERROR validate-cfn: synth wrote no ${REPORT_FILE}; the CloudFormation Validate plugin did not run`);
    }
    return lines;
  } catch (e) {
    return [`ERROR include: ${oneLine(e.message)}`];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function main(argv) {
  const templates = argv.slice(2);
  if (templates.length === 0 || templates.some((t) => t === '-h' || t === '--help')) {
    console.error('usage: node validate-cfn.js TEMPLATE...');
    return 2;
  }
  // This variable turns the built-in validation off; never inherit it.
  delete process.env.CDK_VALIDATION;
  const { cdk, CfnInclude } = loadCdk();
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-cfn-'));
  let failed = 0;
  try {
    templates.forEach((template, i) => {
      let lines;
      if (!fs.existsSync(template)) {
        lines = ['ERROR include: no such file'];
      } else {
        lines = validateOne(cdk, CfnInclude, template, tmpRoot, i);
      }
      if (lines.length === 0) {
        console.log(`ok ${template}`);
      } else {
        failed += 1;
        for (const line of lines) console.log(`${template}: ${line}`);
      }
    });
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv);
