"use client";
import Editor, { loader, type OnMount } from "@monaco-editor/react";
import { useEffect, useRef, useState } from "react";
import { normaliseCode } from "@/lib/cwm/program";

// Monaco is served from our own origin (copied from the monaco-editor package at build time);
// without this the React wrapper would fetch it from a CDN.
// The path names Monaco's version (next.config.ts), so its files are cached for good.
loader.config({ paths: { vs: process.env.NEXT_PUBLIC_MONACO_VS ?? "/monaco/vs" } });

type MonacoEditor = Parameters<OnMount>[0];
type Monaco = Parameters<OnMount>[1];

export interface EditorMarks {
  /** 1-based line of the real trace's current frame, or null. */
  actual: number | null;
  /** 1-based line of the predicted trace's current frame, or null. */
  predicted: number | null;
}

interface Mounted {
  editor: MonacoEditor;
  monaco: Monaco;
  decorations: ReturnType<MonacoEditor["createDecorationsCollection"]>;
  inline: ReturnType<MonacoEditor["createDecorationsCollection"]>;
}

/** Text at the end of a line: the current step's values, or the debugger's breakpoint. */
export interface InlineNote {
  line: number;
  text: string;
}

// Injected text is not selectable code: dimmer than code but above 4.5:1 on both themes' backgrounds.
const INLINE_CLASS = "italic text-slate-700 dark:text-slate-300";
const BREAKPOINT_CLASS = "font-semibold text-rose-800 dark:text-rose-300";

/** The values at the ends of lines (Monaco's injected `after` text), and the breakpoint. */
function showInline({ editor, monaco, inline }: Mounted, notes: readonly InlineNote[], breakpoint: number | null): void {
  const model = editor.getModel();
  if (!model) return;
  const count = model.getLineCount();
  const list: Array<Parameters<typeof inline.set>[0][number]> = [];
  const at = (line: number, content: string, inlineClassName: string) => {
    const col = model.getLineMaxColumn(line);
    list.push({ range: new monaco.Range(line, col, line, col), options: { showIfCollapsed: true, after: { content, inlineClassName } } });
  };
  for (const n of notes) if (n.line >= 1 && n.line <= count) at(n.line, `    ⟵ ${n.text}`, INLINE_CLASS);
  if (breakpoint !== null && breakpoint >= 1 && breakpoint <= count) at(breakpoint, "    ⏸ breakpoint", BREAKPOINT_CLASS);
  inline.set(list);
}

/** The current step's lines: the real one (solid bar) and the predicted one (◆ and hatching). */
function showMarks({ editor, monaco, decorations }: Mounted, code: string, actual: number | null, predicted: number | null): void {
  // Wrapper lines (main's def and the call) are numbered after the user's last line; they are
  // not in the editor, so a frame on one marks nothing rather than a trailing blank line.
  const lineCount = Math.min(editor.getModel()?.getLineCount() ?? 0, normaliseCode(code).split("\n").length);
  const inRange = (l: number | null): l is number => l !== null && l >= 1 && l <= lineCount;
  const list: Array<Parameters<typeof decorations.set>[0][number]> = [];
  if (inRange(actual)) {
    list.push({
      range: new monaco.Range(actual, 1, actual, 1),
      options: { isWholeLine: true, className: "mark-actual-line", linesDecorationsClassName: "mark-actual-gutter", hoverMessage: { value: "Real execution is here" } },
    });
  }
  if (inRange(predicted)) {
    list.push({
      range: new monaco.Range(predicted, 1, predicted, 1),
      options: { isWholeLine: true, className: "mark-predicted-line", glyphMarginClassName: "mark-predicted-glyph", hoverMessage: { value: "The prediction is here" } },
    });
  }
  decorations.set(list);
  const focusLine = inRange(actual) ? actual : inRange(predicted) ? predicted : null;
  if (focusLine !== null) editor.revealLineInCenterIfOutsideViewport(focusLine);
}

/** A syntax error or an uncaught exception as an editor marker (squiggle and hover message). */
function showError({ editor, monaco }: Mounted, e: { line: number; message: string } | null): void {
  const model = editor.getModel();
  if (!model) return;
  const markers =
    e && e.line >= 1 && e.line <= model.getLineCount()
      ? [
          {
            severity: monaco.MarkerSeverity.Error,
            message: e.message,
            startLineNumber: e.line,
            startColumn: model.getLineFirstNonWhitespaceColumn(e.line) || 1,
            endLineNumber: e.line,
            endColumn: model.getLineMaxColumn(e.line),
          },
        ]
      : [];
  monaco.editor.setModelMarkers(model, "cwm-run", markers);
}

const NO_NOTES: readonly InlineNote[] = [];

export function EditorPane(props: {
  /** A syntax error or an uncaught exception of the current real run, marked on its line. */
  error?: { line: number; message: string } | null;
  code: string;
  onCodeChange: (code: string) => void;
  call: string;
  onCallChange: (call: string) => void;
  onRunShortcut: () => void;
  marks: EditorMarks;
  readOnly?: boolean;
  /** The call cannot be edited yet (the stored draft is still loading and would overwrite it). */
  callDisabled?: boolean;
  /** The current step's values at the ends of their lines. */
  inline?: readonly InlineNote[];
  /** The debugger's breakpoint line, shown in words at its end. */
  breakpoint?: number | null;
  /** A click on a line number (the debugger sets its breakpoint there). */
  onGutterClick?: (line: number) => void;
}) {
  // The mounted editor is an external object; effects below push marks into it.
  const [mounted, setMounted] = useState<Mounted | null>(null);
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    setDark(mq.matches);
    const on = (e: MediaQueryListEvent) => setDark(e.matches);
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, []);
  // Monaco keeps the command it was given at mount; it calls the latest handler through this.
  const runShortcut = useRef(props.onRunShortcut);
  const gutterClick = useRef(props.onGutterClick);
  useEffect(() => {
    runShortcut.current = props.onRunShortcut;
    gutterClick.current = props.onGutterClick;
  });

  const onMount: OnMount = (editor, monaco) => {
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => runShortcut.current());
    editor.onMouseDown((e) => {
      const t = e.target.type;
      const line = e.target.position?.lineNumber;
      if (line && (t === monaco.editor.MouseTargetType.GUTTER_LINE_NUMBERS || t === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN)) gutterClick.current?.(line);
    });
    setMounted({ editor, monaco, decorations: editor.createDecorationsCollection([]), inline: editor.createDecorationsCollection([]) });
  };

  const { actual, predicted } = props.marks;
  useEffect(() => {
    if (mounted) showMarks(mounted, props.code, actual, predicted);
  }, [mounted, props.code, actual, predicted]);
  useEffect(() => {
    if (mounted) showError(mounted, props.error ?? null);
  }, [mounted, props.code, props.error]);
  const inline = props.inline ?? NO_NOTES;
  const breakpoint = props.breakpoint ?? null;
  useEffect(() => {
    if (mounted) showInline(mounted, inline, breakpoint);
  }, [mounted, props.code, inline, breakpoint]);

  return (
    <section aria-label="Code" className="flex min-h-0 flex-col gap-1">
      <div className="min-h-[200px] flex-1 overflow-hidden rounded border border-slate-300 dark:border-slate-700" data-testid="editor">
        <Editor
          language="python"
          value={props.code}
          onChange={(v) => props.onCodeChange(v ?? "")}
          onMount={onMount}
          theme={dark ? "vs-dark" : "vs"}
          loading={<div className="p-3 text-sm text-slate-500">Loading editor…</div>}
          options={{
            fontSize: 15,
            minimap: { enabled: false },
            glyphMargin: true,
            lineNumbersMinChars: 3,
            // On Linux Monaco dims the empty last line's number below readable contrast.
            renderFinalNewline: "on",
            scrollBeyondLastLine: false,
            readOnly: props.readOnly ?? false,
            automaticLayout: true,
            tabSize: 4,
            insertSpaces: true,
            // Tab moves focus out of the editor (keyboard users are never trapped); Ctrl+M
            // toggles it for people who want Tab to indent, as the hint below says.
            tabFocusMode: true,
            ariaLabel: "Python code. Tab leaves the editor; Ctrl+M makes Tab indent instead.",
          }}
        />
      </div>
      {!props.readOnly && (
        <p className="text-xs text-slate-700 dark:text-slate-200" id="editor-keys">
          Tab moves focus out of the editor; Ctrl+M makes Tab indent instead. Ctrl/Cmd+Enter runs.
        </p>
      )}
      {props.error && (
        <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="editor-error">
          Line {props.error.line}: {props.error.message}
        </p>
      )}
      <label className="flex items-center gap-2 text-sm">
        <span className="font-semibold">Call</span>
        <input
          aria-label="Call"
          className="font-code min-h-11 flex-1 rounded border border-slate-400 bg-white px-2 text-base dark:border-slate-500 dark:bg-slate-900"
          placeholder="empty: script mode (top-level code is traced); e.g. f([1, 2, 3])"
          value={props.call}
          readOnly={props.readOnly ?? false}
          disabled={props.callDisabled ?? false}
          onChange={(e) => props.onCallChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey || !e.shiftKey)) {
              e.preventDefault();
              props.onRunShortcut();
            }
          }}
          spellCheck={false}
        />
      </label>
    </section>
  );
}
