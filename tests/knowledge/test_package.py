"""The core stands alone: importing it and answering loads no Telegram module."""

import subprocess
import sys

CODE = """
import sys
import knowledge
knowledge.load().ask("What did Russia demand at the Istanbul talks?")
print(sorted(m for m in sys.modules if m.split(".")[0] in ("telegram", "bot")))
"""


def test_knowledge_imports_no_telegram_and_no_bot_module():
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "[]"


def test_public_surface_is_declared():
    import knowledge

    assert {"Knowledge", "Answer", "Excerpt", "load", "check", "KnowledgeError"} <= set(
        knowledge.__all__
    )
