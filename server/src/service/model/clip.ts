// Shortening text for messages, hovers and the outline.

/** Text cut to at most `max` characters, the last one an ellipsis when it was longer (never half an emoji). */
export function clip(s: string, max: number): string {
  return s.length > max ? whole(s.slice(0, max - 1)) + '…' : s;
}

/** A cut text without a lone high surrogate at its end (the first half of a character outside the BMP). */
function whole(s: string): string {
  const last = s.charCodeAt(s.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? s.slice(0, -1) : s;
}
