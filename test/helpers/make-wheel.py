"""Builds a wheel (or an sdist) from a fixture folder offline, with no build tools.

usage: make-wheel.py <fixture-dir> <out-dir> [wheel|sdist] [key=value ...]
<fixture-dir>/wheel.json gives name, version, summary, license, author and console_scripts;
<fixture-dir>/src/ holds the packages. key=value overrides wheel.json (version=2.0.0, console_scripts=).
Prints the file it wrote.

The sdist it writes builds itself with this same file as its PEP 517 backend (no requirements,
so pip builds it offline): building it runs code, which is what --allow-sdist permits. The
backend leaves a marker in PM_TEST_SDIST_MARKER when set, to prove it ran.
"""
import base64, hashlib, io, json, os, sys, tarfile, zipfile

STAMP = (2020, 1, 1, 0, 0, 0)


def read_files(root):
    files = []
    for d, _, names in os.walk(root):
        for n in sorted(names):
            if not n.endswith(".pyc"):
                p = os.path.join(d, n)
                files.append((os.path.relpath(p, root).replace(os.sep, "/"), open(p, "rb").read()))
    return sorted(files)


def metadata(meta):
    return "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\nLicense: %s\nAuthor: %s\n" % (
        meta["name"], meta["version"], meta.get("summary", ""), meta.get("license", ""), meta.get("author", ""))


def write_wheel(meta, src_root, out):
    norm = meta["name"].replace("-", "_")
    dist = "%s-%s.dist-info" % (norm, meta["version"])
    files = read_files(src_root)
    files.append((dist + "/METADATA", metadata(meta).encode()))
    files.append((dist + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: pm-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    scripts = meta.get("console_scripts") or {}
    if scripts:
        files.append((dist + "/entry_points.txt", ("[console_scripts]\n" + "".join("%s = %s\n" % kv for kv in sorted(scripts.items()))).encode()))
    record = []
    for rel, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (rel, digest, len(data)))
    record.append(dist + "/RECORD,,")
    files.append((dist + "/RECORD", ("\n".join(record) + "\n").encode()))
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "%s-%s-py3-none-any.whl" % (norm, meta["version"]))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, data in files:
            z.writestr(zipfile.ZipInfo(rel, STAMP), data)
    return path


def write_sdist(meta, fixture, out):
    norm = meta["name"].replace("-", "_")
    top = "%s-%s" % (norm, meta["version"])
    entries = [("src/" + rel, data) for rel, data in read_files(os.path.join(fixture, "src"))]
    entries += [
        ("PKG-INFO", metadata(meta).encode()),
        ("wheel.json", json.dumps(meta).encode()),
        ("pyproject.toml", b'[build-system]\nrequires = []\nbuild-backend = "pm_test_backend"\nbackend-path = ["."]\n'),
        ("pm_test_backend.py", open(os.path.abspath(__file__), "rb").read()),
    ]
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, top + ".tar.gz")
    with tarfile.open(path, "w:gz") as t:
        for rel, data in entries:
            info = tarfile.TarInfo(top + "/" + rel)
            info.size, info.mtime = len(data), 1577836800
            t.addfile(info, io.BytesIO(data))
    return path


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 517 hook: pip runs it in the unpacked sdist."""
    marker = os.environ.get("PM_TEST_SDIST_MARKER")
    if marker:
        open(marker, "w").write("the sdist's build code ran\n")
    return os.path.basename(write_wheel(json.load(open("wheel.json")), "src", wheel_directory))


if __name__ == "__main__":
    fixture, out = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "wheel"
    meta = json.load(open(os.path.join(fixture, "wheel.json")))
    for kv in sys.argv[4:]:
        k, v = kv.split("=", 1)
        meta[k] = ({} if v == "" else json.loads(v)) if k == "console_scripts" else v
    print(write_sdist(meta, fixture, out) if kind == "sdist" else write_wheel(meta, os.path.join(fixture, "src"), out))
