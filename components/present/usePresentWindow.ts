"use client";
import { useState } from "react";
import type { DeckShape } from "@/lib/classroom/deck";
import { usePresentChannel } from "./usePresentChannel";
import { newClientId } from "@/lib/playground/ids";
import { usePresentDeck } from "./usePresentDeck";
import { usePresentRecorded } from "./usePresentRecorded";

/** One presentation window (projector or presenter view): its deck and recorded predictions, in step with the lesson's other windows. */
export function usePresentWindow(lessonId: string, shape: DeckShape) {
  const [self] = useState(newClientId);
  const channel = usePresentChannel(lessonId, self);
  return { ...usePresentDeck(channel, self, shape), ...usePresentRecorded(channel) };
}
