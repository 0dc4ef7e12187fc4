"""Builds a wheel (or an sdist) from a fixture folder offline, with no build backend.

usage: make-wheel.py <fixture-dir> <out-dir> [wheel|sdist] [key=value ...]
<fixture-dir>/wheel.json gives name, version, summary, license, author and console_scripts;
<fixture-dir>/src/ holds the packages. key=value overrides wheel.json (version=2.0.0, console_scripts=).
Prints the file it wrote.
"""
import base64, hashlib, io, json, os, sys, tarfile, zipfile

src, out, kind = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else "wheel")
meta = json.load(open(os.path.join(src, "wheel.json")))
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1)
    meta[k] = json.loads(v) if v.startswith("{") else ({} if v == "" and k == "console_scripts" else v)
name, version = meta["name"], meta["version"]
norm = name.replace("-", "_")
metadata = "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\nLicense: %s\nAuthor: %s\n" % (
    name, version, meta.get("summary", ""), meta.get("license", ""), meta.get("author", ""))
files = []
for root, _, names in os.walk(os.path.join(src, "src")):
    for n in sorted(names):
        if n.endswith(".pyc"):
            continue
        p = os.path.join(root, n)
        files.append((os.path.relpath(p, os.path.join(src, "src")).replace(os.sep, "/"), open(p, "rb").read()))
files.sort()
os.makedirs(out, exist_ok=True)
stamp = (2020, 1, 1, 0, 0, 0)

if kind == "sdist":
    path = os.path.join(out, "%s-%s.tar.gz" % (norm, version))
    with tarfile.open(path, "w:gz") as t:
        entries = files + [("PKG-INFO", metadata.encode()), ("setup.py", b"from setuptools import setup\nsetup()\n")]
        for rel, data in entries:
            info = tarfile.TarInfo("%s-%s/%s" % (norm, version, rel if rel in ("PKG-INFO", "setup.py") else "src/" + rel))
            info.size, info.mtime = len(data), 1577836800
            t.addfile(info, io.BytesIO(data))
    print(path)
    sys.exit(0)

dist = "%s-%s.dist-info" % (norm, version)
files.append((dist + "/METADATA", metadata.encode()))
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
path = os.path.join(out, "%s-%s-py3-none-any.whl" % (norm, version))
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for rel, data in files:
        z.writestr(zipfile.ZipInfo(rel, stamp), data)
print(path)
