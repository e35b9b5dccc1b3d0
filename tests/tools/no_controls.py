"""Exit 1 when a file holds a byte a terminal would act on.

Exit 1, naming the first offence, when a file holds a byte a terminal
would act on: a C0 control other than newline and tab, DEL, a C1 control
(U+0080..U+009F), or bytes that are not UTF-8.  Usage: no_controls.py FILE..."""
import sys

bad = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{path}: not UTF-8 at byte {e.start}")
        bad = 1
        continue
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch not in "\n\t") or 0x7f <= o <= 0x9f:
            print(f"{path}: raw control U+{o:04X} at character {i}: {text[max(0, i - 20):i + 20]!r}")
            bad = 1
            break
sys.exit(bad)
