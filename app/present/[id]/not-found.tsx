// A presentation's id is a lesson's id: without this, notFound() here fell through to the root page, which speaks of runs.
export { default } from "../../l/[id]/not-found";
