#!/usr/bin/python3
"""Runs the CI recipes of docs/ci.md against the packages scripts/release made.

    tests/release/check-recipes.py DIST

docs/ci.md, "How the recipes are tested", says what is checked and what cannot
be. Each recipe is read from docs/ci.md by its `<!-- recipe: NAME -->` marker,
so the text users copy is the text that runs.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SPECS = ["multi-region-codepipeline", "catalog-service"]
failures = []


def fail(message):
    print(f"check-recipes: FAIL: {message}", file=sys.stderr)
    failures.append(message)


def recipes():
    text = open(os.path.join(ROOT, "docs", "ci.md"), encoding="utf-8").read()
    found = {}
    for m in re.finditer(r"<!-- recipe: ([a-z-]+) -->\n```[a-z]*\n(.*?)```\n", text, re.S):
        found[m.group(1)] = m.group(2)
    wanted = ["github-actions", "codebuild", "pre-commit-install", "pre-commit-config"]
    if sorted(found) != sorted(wanted):
        fail(f"docs/ci.md has recipes {sorted(found)}, expected {sorted(wanted)}")
        sys.exit(1)
    return found


def run(script, cwd, env, shell_flags=("-e",)):
    return subprocess.run(["bash", "--noprofile", "--norc", *shell_flags, "-c", script],
                          cwd=cwd, env=env, capture_output=True, text=True)


def scratch_repo(tmp, mrp):
    """A git repository holding two example specs and their generated files."""
    repo = os.path.join(tmp, "repo")
    for spec in SPECS:
        shutil.copytree(os.path.join(ROOT, "specs", spec), os.path.join(repo, spec))
        subprocess.run([mrp, "build", os.path.join(repo, spec, "pipeline.mrp")], check=True,
                       capture_output=True)
    for args in (["init", "-q"], ["add", "."],
                 ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m",
                  "specs"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    return repo


def base_env(tmp, dist):
    env = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TERM")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env["HOME"] = os.path.join(tmp, "home")
    env["MRP_RELEASE_URL"] = "file://" + dist
    os.makedirs(env["HOME"])
    return env


def check_sarif(path, what):
    try:
        report = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail(f"{what}: no SARIF report: {e}")
        return
    if report.get("version") != "2.1.0" or not report.get("runs"):
        fail(f"{what}: {path} is not a SARIF 2.1.0 report")


def check_github_actions(text, dist, tmp, mrp):
    workflow = yaml.safe_load(text)
    job = workflow["jobs"]["specs"]
    env = base_env(tmp, dist)
    env["RUNNER_TEMP"] = os.path.join(tmp, "runner-temp")
    env["GITHUB_PATH"] = os.path.join(tmp, "github-path")
    os.makedirs(env["RUNNER_TEMP"])
    open(env["GITHUB_PATH"], "w").close()
    for key, value in job["env"].items():
        if key != "MRP_RELEASE_URL":  # ${{ vars.MRP_RELEASE_URL }}: set above
            env[key] = str(value)
    repo = scratch_repo(tmp, mrp)
    steps = [s for s in job["steps"] if "run" in s]
    if [s.get("id") for s in steps[:2]] != ["install", "lint"]:
        fail("github-actions: the first two run steps are not install and lint")
    for step in steps:
        # What Actions does between steps: the folders written to GITHUB_PATH
        # go before PATH.
        added = [p for p in open(env["GITHUB_PATH"]).read().splitlines() if p]
        step_env = dict(env, PATH=":".join(reversed(added)) + ":" + env["PATH"])
        r = run(step["run"], repo, step_env, ("-eo", "pipefail"))
        if r.returncode != 0:
            fail(f"github-actions: step `{step['name']}` failed ({r.returncode}): {r.stderr}")
            return
    check_sarif(os.path.join(repo, "mrp.sarif"), "github-actions")
    upload = [s for s in job["steps"] if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif@")]
    if len(upload) != 1 or upload[0]["with"]["sarif_file"] != "mrp.sarif":
        fail("github-actions: no upload-sarif step naming mrp.sarif")
    if "always()" in str(upload) or "!cancelled()" not in str(upload[0].get("if", "")):
        fail("github-actions: the upload does not run after a failed lint")
    # A generated file edited by hand: the last step must fail.
    with open(os.path.join(repo, SPECS[1], "multiregion-build.sh"), "a") as f:
        f.write("# edited\n")
    last = steps[-1]
    r = run(last["run"], repo, step_env, ("-eo", "pipefail"))
    # xargs exits 123 when mrp exits 1.
    if r.returncode == 0 or "multiregion-build.sh" not in r.stdout + r.stderr:
        fail(f"github-actions: `{last['name']}` did not fail on an edited file: {r.stdout}")


def check_codebuild(text, dist, tmp, mrp):
    spec = yaml.safe_load(text)
    env = base_env(tmp, dist)
    env.update({k: str(v) for k, v in spec["env"]["variables"].items()})
    env["MRP_PREFIX"] = os.path.join(tmp, "opt-mrp")
    repo = scratch_repo(tmp, mrp)
    shutil.rmtree(os.path.join(repo, ".git"))  # as a source from CodePipeline has none
    commands = spec["phases"]["install"]["commands"] + spec["phases"]["build"]["commands"]
    r = run("\n".join(commands), repo, env)
    if r.returncode != 0:
        fail(f"codebuild: the commands failed ({r.returncode}): {r.stdout}{r.stderr}")
        return
    for artifact in spec["artifacts"]["files"]:
        if not os.path.exists(os.path.join(repo, artifact)):
            fail(f"codebuild: the artifact {artifact} was not written")
    check_sarif(os.path.join(repo, "mrp.sarif"), "codebuild")
    if not filecmp(os.path.join(env["MRP_PREFIX"], "bin", "mrp"), mrp):
        fail("codebuild: the mrp it installed is not the released binary")


def check_pre_commit(install, config, dist, tmp, mrp):
    env = base_env(tmp, dist)
    work = os.path.join(tmp, "downloads")
    os.makedirs(work)
    r = run(install, work, dict(env, PATH=os.path.join(env["HOME"], ".local", "bin") + ":" +
                                env["PATH"]))
    if r.returncode != 0:
        fail(f"pre-commit-install: failed ({r.returncode}): {r.stderr}")
    elif not filecmp(os.path.join(env["HOME"], ".local", "bin", "mrp"), mrp):
        fail("pre-commit-install: $HOME/.local/bin/mrp is not the released binary")
    hooks = {h["id"] for h in yaml.safe_load(open(os.path.join(ROOT, ".pre-commit-hooks.yaml")))}
    used = {h["id"] for r in yaml.safe_load(config)["repos"] for h in r["hooks"]}
    if used != hooks:
        fail(f"pre-commit-config: uses hooks {sorted(used)}, the repository defines "
             f"{sorted(hooks)}")


def filecmp(a, b):
    try:
        return open(a, "rb").read() == open(b, "rb").read()
    except OSError:
        return False


def main():
    dist = os.path.abspath(sys.argv[1])
    found = recipes()
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("github-actions", "codebuild", "pre-commit-config"):
            path = os.path.join(tmp, name + ".yaml")
            open(path, "w").write(found[name])
            r = subprocess.run(["yamllint", "-s", "-d", "{extends: default, rules: {"
                                "line-length: {max: 120}, document-start: disable}}", path],
                               capture_output=True, text=True)
            if r.returncode != 0:
                fail(f"{name}: yamllint: {r.stdout}")
        # The released binary, to run the specs with and compare installs against.
        mrp = os.path.join(tmp, "released-mrp")
        name = [f for f in os.listdir(dist) if f.endswith("-linux-x86_64.tar.gz")][0]
        subprocess.run(["tar", "-xzf", os.path.join(dist, name), "-C", tmp, "--strip-components=2",
                        name[:-len(".tar.gz")] + "/bin/mrp"], check=True)
        os.rename(os.path.join(tmp, "mrp"), mrp)
        for check, args in ((check_github_actions, (found["github-actions"],)),
                            (check_codebuild, (found["codebuild"],)),
                            (check_pre_commit, (found["pre-commit-install"],
                                                found["pre-commit-config"]))):
            part = tempfile.mkdtemp(dir=tmp)
            check(*args, dist, part, mrp)
    if failures:
        print(f"check-recipes: {len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("check-recipes: the GitHub Actions, CodeBuild and pre-commit recipes of docs/ci.md "
          "passed")


if __name__ == "__main__":
    main()
