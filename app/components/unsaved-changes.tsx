/**
 * Leaving a form with unsaved changes asks first (with JavaScript; without it nothing is lost on the
 * server either way): a French confirm() when following a link inside the site (Remix useBlocker),
 * the browser's own prompt when closing or reloading the tab (beforeunload). Submitting the form
 * itself (same address) is never blocked; a successful save clears the flag.
 */
import { useBlocker } from "@remix-run/react";
import { useEffect, useState } from "react";

export const UNSAVED_CHANGES_QUESTION =
  "Vos modifications ne sont pas enregistrées. Quitter la page sans les enregistrer\u202f?";

export function useUnsavedChangesPrompt(formId: string, saved: unknown): void {
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    const form = document.getElementById(formId);
    if (!form) return;
    const mark = () => setDirty(true);
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    return () => {
      form.removeEventListener("input", mark);
      form.removeEventListener("change", mark);
    };
  }, [formId]);

  // `saved` changes identity with each successful save's answer.
  useEffect(() => {
    if (saved) setDirty(false);
  }, [saved]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers need returnValue set to show their prompt.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && nextLocation.pathname !== currentLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(UNSAVED_CHANGES_QUESTION)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
}
