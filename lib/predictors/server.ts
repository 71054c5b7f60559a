/**
 * The server's one set of predictors, built from the environment on first use (so a bad
 * configuration fails the first request loudly and is logged with the variable to fix).
 */
import "server-only";
import { loadPredictorConfig, type PredictorConfig } from "@/lib/config/predictors";
import { createListHandler, createPredictHandler } from "@/lib/predictors/handler";
import { createHaltHandler } from "@/lib/predictors/halt-handler";
import { createStepHandler } from "@/lib/predictors/step-handler";
import { serverLedger } from "@/lib/predictors/provenance";
import { registryFromConfig, type Registry } from "@/lib/predictors/registry";
import { cacheKey, predictionCache } from "@/lib/storage/prediction-cache";

interface ServerPredictors {
  config: PredictorConfig;
  registry: Registry;
  predict: (req: Request) => Promise<Response>;
  list: (req: Request) => Promise<Response>;
  halt: (req: Request) => Promise<Response>;
  step: (req: Request) => Promise<Response>;
}

let instance: ServerPredictors | null = null;

export function serverPredictors(): ServerPredictors {
  if (!instance) {
    const config = loadPredictorConfig(process.env);
    const registry = registryFromConfig(config);
    instance = {
      config,
      registry,
      predict: createPredictHandler({
        registry,
        defaultMaxTokens: config.defaultMaxTokens,
        cache: { store: predictionCache, key: cacheKey },
        ledger: serverLedger(),
      }),
      list: createListHandler(registry, { maxTokens: config.defaultMaxTokens }),
      halt: createHaltHandler({ registry }),
      step: createStepHandler({ registry, defaultMaxTokens: config.defaultMaxTokens }),
    };
  }
  return instance;
}
