"use client";

export interface Sampling {
  temperature: number;
  max_tokens: number;
}

export const DEFAULT_SAMPLING: Sampling = { temperature: 0, max_tokens: 4096 };

/** Sampling of the next prediction: greedy (T=0, cached, as the CWM report evaluates) by default. */
export function SamplingControls(props: { value: Sampling; onChange: (v: Sampling) => void; disabled?: boolean }) {
  const { value, onChange } = props;
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded border border-slate-300 px-2 py-1.5 dark:border-slate-600">
        T={value.temperature} · {value.max_tokens} tokens
      </summary>
      <div className="absolute z-20 mt-1 flex w-72 flex-col gap-2 rounded border border-slate-300 bg-white p-3 shadow-lg dark:border-slate-600 dark:bg-slate-900">
        <label className="flex items-center justify-between gap-2">
          <span>Temperature</span>
          <input
            aria-label="Temperature"
            type="number"
            min={0}
            max={2}
            step={0.1}
            className="w-24 rounded border border-slate-300 px-1 dark:border-slate-600 dark:bg-slate-950"
            value={value.temperature}
            disabled={props.disabled}
            onChange={(e) => {
              const t = Number(e.target.value);
              if (Number.isFinite(t) && t >= 0 && t <= 2) onChange({ ...value, temperature: t });
            }}
          />
        </label>
        <label className="flex items-center justify-between gap-2">
          <span>Max tokens</span>
          <input
            aria-label="Max tokens"
            type="number"
            min={16}
            max={32768}
            step={256}
            className="w-24 rounded border border-slate-300 px-1 dark:border-slate-600 dark:bg-slate-950"
            value={value.max_tokens}
            disabled={props.disabled}
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              if (Number.isFinite(n) && n >= 16 && n <= 32768) onChange({ ...value, max_tokens: n });
            }}
          />
        </label>
        <p className="text-xs text-slate-500">
          T=0 is greedy decoding, as the CWM report evaluates traces; greedy predictions are cached. A model that runs out of tokens
          without ending the trace predicts a long or endless run.
        </p>
      </div>
    </details>
  );
}
