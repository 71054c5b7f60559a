"use client";

export interface Sampling {
  temperature: number;
  max_tokens: number;
}

/**
 * What the user changed; a field left out is the server's default (greedy; CWM_MAX_TOKENS), so
 * the request only carries what the person chose.
 */
export type SamplingChoice = Partial<Sampling>;

/** A number input that only reports values inside its range (a half-typed value is ignored). */
function NumberField(props: { label: string; value: number; min: number; max: number; step: number; integer?: boolean; disabled?: boolean; onChange: (v: number) => void }) {
  return (
    <label className="flex items-center justify-between gap-2">
      <span>{props.label}</span>
      <input
        aria-label={props.label}
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        className="min-h-11 w-24 rounded border border-slate-400 px-1 dark:border-slate-500 dark:bg-slate-950"
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => {
          const n = props.integer ? Math.round(Number(e.target.value)) : Number(e.target.value);
          if (Number.isFinite(n) && n >= props.min && n <= props.max) props.onChange(n);
        }}
      />
    </label>
  );
}

/** Sampling of the next prediction: greedy (T=0, cached, as the CWM report evaluates) by default. */
export function SamplingControls(props: { choice: SamplingChoice; defaults: Sampling; onChange: (v: SamplingChoice) => void; disabled?: boolean }) {
  const { choice, onChange } = props;
  const value: Sampling = { ...props.defaults, ...choice };
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded border border-slate-300 px-2 py-1.5 dark:border-slate-600">
        T={value.temperature} · {value.max_tokens} tokens
      </summary>
      {/* Within the screen on a phone, where the summary sits near the right edge. */}
      <div className="absolute right-0 z-20 mt-1 flex w-72 max-w-[calc(100vw-1rem)] flex-col gap-2 rounded sm:right-auto border border-slate-300 bg-white p-3 shadow-lg dark:border-slate-600 dark:bg-slate-900">
        <NumberField label="Temperature" min={0} max={2} step={0.1} value={value.temperature} disabled={props.disabled} onChange={(temperature) => onChange({ ...choice, temperature })} />
        <NumberField label="Max tokens" min={16} max={32768} step={256} integer value={value.max_tokens} disabled={props.disabled} onChange={(max_tokens) => onChange({ ...choice, max_tokens })} />
        {choice.max_tokens === undefined && <p className="text-xs text-slate-700 dark:text-slate-200">Max tokens is the server&apos;s default until you change it.</p>}
        <p className="text-xs text-slate-700 dark:text-slate-200">
          T=0 is greedy decoding, as the CWM report evaluates traces; greedy predictions are cached. A model that runs out of tokens
          without ending the trace predicts a long or endless run.
        </p>
      </div>
    </details>
  );
}
