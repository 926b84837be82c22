"""Draw the application icon (no downloaded artwork): a white shield holding a child, on a blue tile.

    .venv/bin/python installer/make_icon.py      → installer/bvte.ico (16–256 px) and installer/bvte.png (256 px)

Run again only to change the drawing; the two files are kept in the repository.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BLUE = (21, 101, 192, 255)
WHITE = (255, 255, 255, 255)
ORANGE = (255, 143, 0, 255)
S = 1024  # drawn large, then scaled down smoothly


def draw() -> Image.Image:
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((32, 32, S - 32, S - 32), radius=200, fill=BLUE)
    # Shield: flat top with rounded shoulders, sides curving to a point.
    top, left, right, bottom = 180, 232, S - 232, 880
    shield = [(left, top + 60), (S // 2, top), (right, top + 60)]
    steps = 40
    for i in range(steps + 1):  # right side down to the point
        t = i / steps
        x = right - (right - S // 2) * t ** 1.8
        y = top + 60 + (bottom - top - 60) * t
        shield.append((x, y))
    for i in range(steps, -1, -1):  # left side back up
        t = i / steps
        x = left + (S // 2 - left) * t ** 1.8
        y = top + 60 + (bottom - top - 60) * t
        shield.append((x, y))
    d.polygon(shield, fill=WHITE)
    # The child: head and body in orange, in the shield's lap.
    cx = S // 2
    d.ellipse((cx - 78, 330, cx + 78, 486), fill=ORANGE)
    d.rounded_rectangle((cx - 120, 510, cx + 120, 720), radius=110, fill=ORANGE)
    return img


def main() -> None:
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(HERE / "bvte.png")
    big.save(HERE / "bvte.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(f"wrote {HERE / 'bvte.ico'} and {HERE / 'bvte.png'}")


if __name__ == "__main__":
    main()
