/** A used-of-limit bar (spend vs budget): green, amber past 80 %, red when spent. Without a limit, just the figure. */
export function Meter({ value, max, label, text }: { value: number; max: number | null; label: string; text: string }) {
  if (max === null || max <= 0) return <span className="meter-text">{text}</span>;
  const ratio = Math.min(1, Math.max(0, value / max));
  const tone = ratio >= 1 ? 'danger' : ratio >= 0.8 ? 'warning' : 'ok';
  return (
    <div className="meter">
      <div
        className={`meter-track meter-${tone}`}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={text}
      >
        <div className="meter-fill" style={{ width: `${ratio * 100}%` }} />
      </div>
      <span className="meter-text">{text}</span>
    </div>
  );
}
