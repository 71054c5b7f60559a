"use client";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { fetchJson } from "@/lib/http/client";
import { JoinResponse, LIVE_LIMITS } from "@/lib/live/protocol";
import { PRIMARY_BUTTON } from "@/components/Toolbar";
import { checkCode } from "@/lib/live/client/join-code";

const FIELD = "w-full rounded border-2 border-slate-500 bg-white px-3 dark:bg-slate-900";

/**
 * /join: the code from the screen (or the QR link's ?code=), an optional nickname, Join. The
 * code field says as you type what is wrong with it, naming the look-alikes a projector makes
 * people misread; nothing is sent until it is a possible code.
 */
export function JoinForm({ initialCode }: { initialCode: string }) {
  const router = useRouter();
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  const check = checkCode(code);
  const nameChars = [...name.trim()].length;

  async function join(e: React.FormEvent) {
    e.preventDefault();
    if (check.kind !== "ok" || sending) return;
    setSending(true);
    setError(null);
    try {
      const nick = name.trim();
      const res = await fetchJson("/api/live/join", { method: "POST", json: { code: check.code, ...(nick ? { name: nick } : {}) } }, JoinResponse);
      router.push(`/live/${encodeURIComponent(res.session.id)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setSending(false);
    }
  }

  const hint =
    check.kind === "bad"
      ? check.message
      : check.kind === "short"
        ? check.code === ""
          ? "Six characters, shown on the teacher's screen."
          : `${check.missing} more to go.`
        : "Ready to join.";

  return (
    <form onSubmit={join} className="flex flex-col gap-5" noValidate>
      <div className="flex flex-col gap-2">
        <label htmlFor="join-code" className="text-lg font-semibold">
          Join code
        </label>
        <input
          id="join-code"
          name="code"
          className={`${FIELD} font-code min-h-16 text-center text-4xl tracking-[0.3em] uppercase`}
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={12}
          aria-describedby={hintId}
          aria-invalid={check.kind === "bad"}
          autoFocus={initialCode === ""}
        />
        <p id={hintId} className={`text-base ${check.kind === "bad" ? "font-semibold text-red-800 dark:text-red-300" : ""}`} aria-live="polite">
          {check.kind === "bad" ? "⚠ " : ""}
          {hint}
        </p>
        <p className="text-sm text-slate-700 dark:text-slate-300">Codes never contain 0, O, 1, I or L, so there is nothing to mix up.</p>
      </div>
      <div className="flex flex-col gap-2">
        <label htmlFor="join-name" className="text-lg font-semibold">
          Nickname <span className="font-normal">(optional)</span>
        </label>
        <input
          id="join-name"
          name="name"
          className={`${FIELD} min-h-12 text-lg`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={LIVE_LIMITS.nameChars * 2}
          autoComplete="nickname"
          aria-describedby="join-name-hint"
          aria-invalid={nameChars > LIVE_LIMITS.nameChars}
        />
        <p id="join-name-hint" className="text-sm text-slate-700 dark:text-slate-300">
          Up to {LIVE_LIMITS.nameChars} characters{nameChars > LIVE_LIMITS.nameChars ? ` (this has ${nameChars})` : ""}. Only the teacher sees it.
        </p>
      </div>
      <button type="submit" className={`${PRIMARY_BUTTON} min-h-14 text-xl`} disabled={check.kind !== "ok" || sending || nameChars > LIVE_LIMITS.nameChars}>
        {sending ? "Joining…" : "Join"}
      </button>
      {error && (
        <p role="alert" className="rounded border-2 border-red-700 p-3 font-semibold text-red-800 dark:border-red-400 dark:text-red-200">
          Could not join: {error}
        </p>
      )}
    </form>
  );
}
