"""Questions of notebook 05 (embeddings): why paris - france + italy fails on the subset,
what cosine similarity measures, and why a GPT does not start from word2vec. Every
number in an explanation is checked against the package in
tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question

register(
    question(
        id="05.5",
        title="Why paris - france + italy fails",
        prompt="Why does *paris - france + italy* fail on the subset of the word vectors?",
        choices=[
            Choice(
                "Analogies work for grammar, not for facts.",
                "Facts work too where the words are known: *king - man + woman* gives "
                "`queen` in the subset. Here the arithmetic cannot even start.",
                "only-grammar",
            ),
            Choice(
                "The subset has lower-case words only and no proper nouns: `paris`, "
                "`france` and `italy` are not in it.",
                "The subset keeps 26,423 frequent lower-case words, so asking for "
                "`paris` is a KeyError before any arithmetic. `load_word2vec('full')` gets "
                "the 3 million words and phrases of the full model, proper nouns included.",
            ),
            Choice(
                "Cities and countries are too far apart in the space.",
                "Distance is not the problem: the words are not there at all. "
                "`'paris' in word_vectors.key_to_index` is False, and so is `'france'`.",
                "too-far-apart",
            ),
            Choice(
                "`most_similar` needs the words in another order.",
                "The order of the positive words does not matter: `b + c` is `c + b`. The "
                "words are missing, and `most_similar` raises a KeyError for `paris`.",
                "order-of-words",
            ),
        ],
        answer="b",
        hints=(
            "Before any arithmetic, `most_similar` looks each word up. Try "
            "`'paris' in word_vectors.key_to_index`.",
            "Step 4 says what the subset lacks.",
        ),
    )
)

register(
    question(
        id="05.6",
        title="What a similarity measures",
        prompt=(
            "`word_vectors.similarity('dog', 'cat')` is 0.761 and "
            "`word_vectors.similarity('sky', 'vector')` is 0.083. What does this number "
            "measure?"
        ),
        choices=[
            Choice(
                "The distance between the two words: the smaller, the closer.",
                "It is a similarity, not a distance: higher means more alike. *dog* and "
                "*cat* (0.761) are far more alike than *sky* and *vector* (0.083).",
                "similarity-is-distance",
            ),
            Choice(
                "How often the two words appear together in a sentence.",
                "word2vec learned its vectors from contexts, but `similarity` is computed "
                "from the two vectors alone, not by counting sentences.",
                "cooccurrence-count",
            ),
            Choice(
                "The cosine of the angle between the two vectors: 1 for the same "
                "direction, 0 for unrelated ones, negative for opposite ones.",
                "It is the dot product of the vectors divided by their lengths, "
                "`v @ w / (|v| |w|)`: 0.761 for *dog* and *cat*. Words used in similar "
                "contexts point in similar directions.",
            ),
            Choice(
                "The share of the 300 numbers that the two vectors have in common.",
                "No single number of a vector means anything on its own (step 2), and two "
                "vectors share no numbers exactly. The similarity compares the directions "
                "of the whole vectors.",
                "shared-dimensions",
            ),
        ],
        answer="c",
        hints=(
            "Step 3 defines it: it compares the directions of two vectors, not where they end.",
            "Compute `v @ w / (norm(v) * norm(w))` for the vectors of *dog* and *cat*.",
        ),
    )
)

register(
    question(
        id="05.7",
        title="Why not word2vec's vectors?",
        prompt=(
            "Why does a GPT learn its own token embeddings instead of starting from "
            "word2vec's vectors?"
        ),
        choices=[
            Choice(
                "Its tokens are not words: GPT-2's ids include pieces such as `' terr'` and "
                "`'aces'` and single bytes, which word2vec has no vectors for; and vectors "
                "learned with the model fit its own task.",
                "GPT-2 encodes `' terraces'` as `' terr'` + `'aces'`; word2vec knows "
                "words and phrases, not such pieces. Learned together with the model, the "
                "vectors fit its task (the next token) and its size (768 numbers per token "
                "in GPT-2 small).",
            ),
            Choice(
                "word2vec's vectors are less useful than random numbers.",
                "word2vec's vectors hold a lot of meaning (step 4's analogies). A GPT "
                "starts from random numbers because its tokens and its task are others, "
                "not because word2vec is worse than noise.",
                "word2vec-useless",
            ),
            Choice(
                "`nn.Embedding` cannot hold vectors trained elsewhere.",
                "It can: `torch.nn.Embedding.from_pretrained(vectors)` starts a layer from "
                "given vectors. A GPT does not, because word2vec has no vectors for its "
                "tokens.",
                "cannot-load",
            ),
            Choice(
                "A GPT's embeddings are fixed and never trained, so how they start does not "
                "matter.",
                "They are trained: step 7 shows each row of the table getting a gradient. "
                "They start from random numbers and are learned with the rest of the model.",
                "embeddings-fixed",
            ),
        ],
        answer="a",
        hints=(
            "What are GPT-2's tokens (notebook 03)? Does word2vec have a vector for each of them?",
            "The box at the start of step 6 answers this question.",
        ),
    )
)
