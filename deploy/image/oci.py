"""Write and read the Koers image as one tar file, without a registry or a container engine.

    python3 oci.py pack OUT.tar CONFIG.json LAYER.tar [LAYER.tar ...]
    python3 oci.py unpack IMAGE.tar DIR

``pack`` writes an OCI image layout (``oci-layout``, ``index.json``, ``blobs/sha256/``)
that also carries Docker's ``manifest.json``, so ``docker load``, ``podman load`` and
``skopeo copy oci-archive:…`` all read it. Each layer is a plain tar of files, gzipped here;
CONFIG.json holds the image's run settings (``config``) and is completed with the layers'
digests. ``unpack`` extracts the layers in order into DIR (a root filesystem) and writes
the image's configuration beside it, DIR.config.json: enough to start it by hand.
Only the standard library; the tar files are made and read by GNU tar.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
CONFIG = "application/vnd.oci.image.config.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"


def _gzip_layer(layer: Path, out: Path) -> tuple[str, str, int]:
    """Compress a layer; return (diff_id, digest, size): sha256 of the tar and of the gzip."""
    raw, packed = hashlib.sha256(), hashlib.sha256()
    with layer.open("rb") as src, out.open("wb") as dst:

        class Hashing(io.RawIOBase):
            def writable(self) -> bool:
                return True

            def write(self, data):  # type: ignore[no-untyped-def, override]
                packed.update(data)
                dst.write(data)
                return len(data)

        with gzip.GzipFile(fileobj=Hashing(), mode="wb", compresslevel=6, mtime=0) as gz:
            while chunk := src.read(1 << 20):
                raw.update(chunk)
                gz.write(chunk)
    return f"sha256:{raw.hexdigest()}", f"sha256:{packed.hexdigest()}", out.stat().st_size


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def pack(out: Path, config_path: Path, layers: list[Path], tag: str) -> None:
    config = json.loads(config_path.read_text())
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        blobs: list[tuple[str, Path]] = []
        descriptors = []
        diff_ids = []
        for number, layer in enumerate(layers):
            gz = Path(tmp) / f"layer{number}.tar.gz"
            diff_id, digest, size = _gzip_layer(layer, gz)
            diff_ids.append(diff_id)
            descriptors.append({"mediaType": GZIP, "digest": digest, "size": size})
            blobs.append((digest, gz))
        config["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
        config_bytes = json.dumps(config, indent=1, sort_keys=True).encode()
        config_digest = f"sha256:{hashlib.sha256(config_bytes).hexdigest()}"
        manifest = {
            "schemaVersion": 2,
            "mediaType": MANIFEST,
            "config": {"mediaType": CONFIG, "digest": config_digest, "size": len(config_bytes)},
            "layers": descriptors,
        }
        manifest_bytes = json.dumps(manifest, indent=1).encode()
        manifest_digest = f"sha256:{hashlib.sha256(manifest_bytes).hexdigest()}"
        index = {
            "schemaVersion": 2,
            "mediaType": INDEX,
            "manifests": [{
                "mediaType": MANIFEST, "digest": manifest_digest, "size": len(manifest_bytes),
                "annotations": {"io.containerd.image.name": tag,
                                "org.opencontainers.image.ref.name": tag.rpartition(":")[2]},
            }],
        }
        docker = [{
            "Config": f"blobs/sha256/{config_digest[7:]}",
            "RepoTags": [tag],
            "Layers": [f"blobs/sha256/{d['digest'][7:]}" for d in descriptors],
        }]
        partial = out.with_suffix(".partial")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, "oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
            _add_bytes(tar, "index.json", json.dumps(index, indent=1).encode())
            _add_bytes(tar, "manifest.json", json.dumps(docker, indent=1).encode())
            _add_bytes(tar, f"blobs/sha256/{config_digest[7:]}", config_bytes)
            _add_bytes(tar, f"blobs/sha256/{manifest_digest[7:]}", manifest_bytes)
            for digest, path in blobs:
                tar.add(path, f"blobs/sha256/{digest[7:]}", recursive=False)
        partial.replace(out)


def unpack(image: Path, root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    with tarfile.open(image) as tar:
        docker = json.load(tar.extractfile("manifest.json"))[0]  # type: ignore[arg-type]
        config = json.load(tar.extractfile(docker["Config"]))  # type: ignore[arg-type]
        for layer in docker["Layers"]:
            blob = tar.extractfile(layer)
            assert blob is not None
            with tempfile.TemporaryFile() as tmp:
                shutil.copyfileobj(blob, tmp, 1 << 20)
                tmp.seek(0)
                # GNU tar of the host keeps owners, modes, links and special files.
                subprocess.run(["tar", "-xzf", "-", "--numeric-owner", "-C", str(root)],  # noqa: S603, S607
                               stdin=tmp, check=True)
    Path(f"{root}.config.json").write_text(json.dumps(config, indent=1))


def main(argv: list[str]) -> None:
    if len(argv) >= 4 and argv[1] == "pack":
        tag = os.environ.get("IMAGE_TAG", "koers:latest")
        pack(Path(argv[2]), Path(argv[3]), [Path(p) for p in argv[4:]], tag)
    elif len(argv) == 4 and argv[1] == "unpack":
        unpack(Path(argv[2]), Path(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

