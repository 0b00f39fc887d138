/**
 * The part of several reporters' texts that all of them hold: what a campaign
 * shares with operators in place of any one subscriber's message. Masking
 * (see `maskText`) removes numbers, links and greeted names, but a subscriber
 * may still have typed a name, a note or a number the masks miss, or received
 * a lure with their own details in it. The longest common subsequence of
 * tokens keeps only what every reporter's text contains, in order, and puts
 * one `…` where any of them differed, so nothing that a single subscriber
 * wrote or received alone survives. Pure.
 */

export const GAP = '…';

/** Tokens beyond this are not compared (an SMS is far shorter; it bounds the quadratic work). */
const MAX_TOKENS = 1_000;
const MASK_TOKEN = /<(?:url|email|amount|phone|name|token|num)>/g;
const WORD_LIKE = /[\p{L}\p{N}]/u;
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * What `a` and `b` have in common, token by token (words as Unicode segments
 * them, so Chinese and Thai split into words too; masks stay whole). `a` may
 * itself be a common text: its gaps match nothing.
 */
export function commonText(a: string, b: string): string {
  const x = tokenise(a);
  const y = tokenise(b);
  const kept = alignCommon(x, y);
  return render(kept);
}

function tokenise(text: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  const segment = (part: string) => {
    for (const s of segmenter.segment(part)) tokens.push(s.segment.trim() === '' ? ' ' : s.segment);
  };
  for (const match of text.matchAll(MASK_TOKEN)) {
    segment(text.slice(at, match.index));
    tokens.push(match[0]);
    at = match.index + match[0].length;
  }
  segment(text.slice(at));
  return tokens.slice(0, MAX_TOKENS);
}

/** The tokens of a longest common subsequence, with GAP wherever either side had tokens in between. */
function alignCommon(x: readonly string[], y: readonly string[]): string[] {
  const n = x.length;
  const m = y.length;
  const width = m + 1;
  // lengths[i][j]: longest common subsequence of x[i..] and y[j..]
  const lengths = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        x[i] === y[j] && x[i] !== GAP
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  let skipped = false;
  const emit = (token: string) => {
    if (skipped && out[out.length - 1] !== GAP) out.push(GAP);
    skipped = false;
    out.push(token);
  };
  while (i < n && j < m) {
    if (x[i] === y[j] && x[i] !== GAP) {
      emit(x[i]!);
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      skipped ||= isContent(x[i]!);
      i++;
    } else {
      skipped ||= isContent(y[j]!);
      j++;
    }
  }
  for (; i < n; i++) skipped ||= isContent(x[i]!);
  for (; j < m; j++) skipped ||= isContent(y[j]!);
  if (skipped && out[out.length - 1] !== GAP) out.push(GAP);
  return out;
}

function isWord(token: string): boolean {
  return WORD_LIKE.test(token) || token.startsWith('<');
}

/** A difference in spacing alone is no gap. */
function isContent(token: string): boolean {
  return token.trim() !== '';
}

/**
 * Joins the kept tokens. A run between two gaps (or a gap and an end) that
 * holds no word is folded into the gap: a lone comma or "." between gaps
 * tells nothing; nor does the punctuation that opens a run after a gap.
 */
function render(tokens: readonly string[]): string {
  const runs: string[][] = [[]];
  for (const t of tokens) {
    if (t === GAP) runs.push([GAP], []);
    else runs[runs.length - 1]!.push(t);
  }
  const parts: string[] = [];
  for (const run of runs) {
    if (run.length === 0) continue;
    const first = run.findIndex(isWord);
    if (run[0] === GAP || first < 0) {
      if (parts[parts.length - 1] !== GAP) parts.push(GAP);
    } else {
      parts.push(run.slice(parts.length > 0 ? first : 0).join(''));
    }
  }
  return parts
    .map((p) => p.trim())
    .join(' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
