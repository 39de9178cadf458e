"""Questions of notebook 04 (data loader): a window's target, stride versus max_length,
and why the book trains with stride = max_length. Every number in an explanation is
checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question
from llmprep.course.language import Said

register(
    question(
        id="04.6",
        title=Said("A window's target", "一个窗口的目标"),
        prompt=Said(
            "In `TokenWindows(ids, max_length=4, stride=4)` the first window's input is "
            "`ids[0:4]`. What is its target?",
            "在 `TokenWindows(ids, max_length=4, stride=4)` 中，第一个窗口的输入是 "
            "`ids[0:4]`。它的目标是什么？",
        ),
        choices=[
            Choice(
                Said("`ids[4:8]`, the next window.", "`ids[4:8]`，也就是下一个窗口。"),
                Said(
                    "`ids[4:8]` is the input of the next window (the windows move by stride "
                    "4). The target asks, at each of the 4 positions, which token comes next.",
                    "`ids[4:8]` 是下一个窗口的输入（窗口每次移动 stride = 4 个词元）。目标问的是："
                    "在这 4 个位置上，每个位置的下一个词元是什么。",
                ),
                "target-next-window",
            ),
            Choice(
                Said(
                    "`ids[4]`, the one token after the window.",
                    "`ids[4]`，也就是窗口之后的那一个词元。",
                ),
                Said(
                    "That is the answer for the last position only. A window holds 4 "
                    "questions: after `ids[0]` comes `ids[1]`, after `ids[0:2]` comes "
                    "`ids[2]`, and so on; the target holds all 4 answers.",
                    "这只是最后一个位置的答案。一个窗口包含 4 道题：`ids[0]` 之后是 `ids[1]`，"
                    "`ids[0:2]` 之后是 `ids[2]`，依此类推；目标包含全部 4 个答案。",
                ),
                "one-target",
            ),
            Choice(
                Said(
                    "`ids[1:5]`: the same window shifted by one token.",
                    "`ids[1:5]`：同一个窗口错开一个词元。",
                ),
                Said(
                    "`y[i]` is the token that follows `x[: i + 1]`, so the target is the "
                    "input moved one to the left: with the numbers 0, 1, 2, ... as ids, the "
                    "input `[0, 1, 2, 3]` has the target `[1, 2, 3, 4]`.",
                    "`y[i]` 是紧跟在 `x[: i + 1]` 之后的词元，所以目标就是输入往左移了一位："
                    "用数字 0, 1, 2, ... 当作 ID 时，输入 `[0, 1, 2, 3]` 的目标是 "
                    "`[1, 2, 3, 4]`。",
                ),
            ),
            Choice(
                Said("`ids[0:4]`, the input itself.", "`ids[0:4]`，也就是输入本身。"),
                Said(
                    "Then every position would be asked for the token it already holds: "
                    "nothing to learn. The target is the next token at each position.",
                    "那样的话，每个位置要预测的都是它本来就有的词元：没有什么可学的。"
                    "目标是每个位置上的下一个词元。",
                ),
                "target-not-shifted",
            ),
        ],
        answer="c",
        hints=(
            Said(
                "At each position of the window, what should the model predict?",
                "在窗口的每个位置上，模型应当预测什么？",
            ),
            Said(
                "Step 2: `y[i]` is the token that follows `x[: i + 1]`.",
                "第 2 步：`y[i]` 是紧跟在 `x[: i + 1]` 之后的词元。",
            ),
        ),
    )
)

register(
    question(
        id="04.7",
        title=Said("Stride 2", "步幅为 2"),
        prompt=Said(
            "With the numbers 0, 1, 2, ... as ids (step 3's trick), `max_length=4` and "
            "`stride=2`: which are the first two inputs?",
            "用数字 0, 1, 2, ... 当作 ID（第 3 步的技巧），`max_length=4`、`stride=2`："
            "前两个输入是什么？",
        ),
        choices=[
            Choice(
                Said("`[0, 1, 2, 3]` and `[2, 3, 4, 5]`", "`[0, 1, 2, 3]` 和 `[2, 3, 4, 5]`"),
                Said(
                    "`stride` is how far the window moves: each input starts 2 tokens "
                    "after the one before and shares 2 of its 4 tokens with it. Their targets "
                    "are `[1, 2, 3, 4]` and `[3, 4, 5, 6]`.",
                    "`stride` 是窗口每次移动的距离：每个输入都比前一个晚 2 个词元开始，4 个词元中"
                    "有 2 个与前一个相同。它们的目标是 `[1, 2, 3, 4]` 和 `[3, 4, 5, 6]`。",
                ),
            ),
            Choice(
                Said("`[0, 1, 2, 3]` and `[4, 5, 6, 7]`", "`[0, 1, 2, 3]` 和 `[4, 5, 6, 7]`"),
                Said(
                    "That is stride 4, as long as a window: the windows tile the numbers "
                    "without overlap. Stride 2 moves each window by 2.",
                    "这是步幅 4，和窗口一样长：窗口首尾相接地铺满这些数字，互不重叠。"
                    "步幅 2 让每个窗口移动 2。",
                ),
                "stride-is-max-length",
            ),
            Choice(
                Said("`[0, 1]` and `[2, 3]`", "`[0, 1]` 和 `[2, 3]`"),
                Said(
                    "Those are windows of 2 tokens. `max_length` is how long a window is (4), "
                    "`stride` how far it moves (2).",
                    "这些是长度为 2 的窗口。`max_length` 是窗口的长度（4），`stride` 是"
                    "窗口每次移动的距离（2）。",
                ),
                "stride-vs-max-length",
            ),
            Choice(
                Said("`[0, 1, 2, 3]` and `[1, 2, 3, 4]`", "`[0, 1, 2, 3]` 和 `[1, 2, 3, 4]`"),
                Said(
                    "`[1, 2, 3, 4]` is the first input's target (and, with stride 1, the "
                    "second input). With stride 2 the second window starts at 2.",
                    "`[1, 2, 3, 4]` 是第一个输入的目标（步幅为 1 时，它也是第二个输入）。"
                    "步幅为 2 时，第二个窗口从 2 开始。",
                ),
                "input-and-target",
            ),
        ],
        answer="a",
        hints=(
            Said(
                "Which of the two settings says how long a window is, and which how far it moves?",
                "这两个设置中，哪个决定窗口有多长，哪个决定窗口移动多远？",
            ),
            Said(
                "The first window starts at 0. Where does the second one start?",
                "第一个窗口从 0 开始。第二个从哪里开始？",
            ),
        ),
    )
)

register(
    question(
        id="04.8",
        title=Said("Why stride = max_length?", "为什么 stride = max_length？"),
        prompt=Said(
            "The book trains with `stride` equal to `max_length`. Why?",
            "书中训练时让 `stride` 等于 `max_length`。为什么？",
        ),
        choices=[
            Choice(
                Said(
                    "A smaller stride would lose the tokens between windows.",
                    "步幅更小的话，窗口之间的词元会丢失。",
                ),
                Said(
                    "A smaller stride loses nothing: it makes the windows overlap (stride 2 "
                    "with windows of 4: 2 tokens shared). It is a stride larger than "
                    "`max_length` that skips tokens.",
                    "步幅更小不会丢失任何词元：它只会让窗口相互重叠（窗口长 4、步幅为 2 时，"
                    "相邻窗口共有 2 个词元）。会跳过词元的是大于 `max_length` 的步幅。",
                ),
                "small-stride-loses",
            ),
            Choice(
                Said(
                    "The model cannot read windows that overlap.",
                    "模型无法读入相互重叠的窗口。",
                ),
                Said(
                    "The model reads each window on its own and cannot tell whether two "
                    "overlap; the book's exercise 2.2 uses stride 2. The reason is what the "
                    "training as a whole sees.",
                    "模型逐个读入窗口，分辨不出两个窗口是否重叠；书中的练习 2.2 就用了步幅 2。"
                    "原因在于整个训练过程看到了什么。",
                ),
                "model-needs-no-overlap",
            ),
            Choice(
                Said("`DataLoader` requires it.", "`DataLoader` 要求这样做。"),
                Said(
                    "`DataLoader` takes any dataset, and `create_dataloader_v1` accepts any "
                    "stride from 1. It is a choice made for training, not a rule of the "
                    "loader.",
                    "`DataLoader` 接受任何数据集，`create_dataloader_v1` 也接受从 1 开始的任何"
                    "步幅。这是为训练所做的选择，而不是数据加载器的规定。",
                ),
                "dataloader-requires",
            ),
            Choice(
                Said(
                    "Then the windows do not overlap: each token is a target once per epoch, "
                    "and no stretch of text is seen more often than the rest.",
                    "这样窗口互不重叠：每个词元在每轮（epoch）中只当一次目标，"
                    "模型看到每段文本的次数都一样。",
                ),
                Said(
                    "With a smaller stride the same stretches of text come back in "
                    "several windows: the model sees them more often than the rest and can "
                    "start to memorise them, and an epoch costs more for no new text.",
                    "步幅更小时，同样的文本片段会在多个窗口中反复出现：模型看到它们的次数比其余"
                    "部分多，可能开始死记硬背；而且每轮的开销更大，却没有带来新的文本。",
                ),
            ),
        ],
        answer="d",
        hints=(
            Said(
                "Draw windows of 4 over 9 tokens with stride 4 and with stride 1: how often "
                "is each token inside a window?",
                "在 9 个词元上画出长度为 4 的窗口，分别用步幅 4 和步幅 1：每个词元出现在几个"
                "窗口里？",
            ),
            Said(
                "The box after step 4's batches says what a smaller stride costs in training.",
                "第 4 步的批次之后有一个提示框，说明了更小的步幅在训练中要付出什么代价。",
            ),
        ),
    )
)
