import { OfflineRun, RecordedResource } from "../../offline/engine";

/**
 * Every resource `resource` waits for before the engine creates it: its dependencies, and its
 * parent's (a child is registered after its parent, which is registered after its own
 * dependencies), and theirs in turn. A component reached as a dependency stands for every
 * resource under it (Pulumi expands `dependsOn` a component to its children); a component
 * reached as a parent does not: a child does not wait for its siblings.
 */
export function waitsFor(run: OfflineRun, resource: RecordedResource): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const asParent = new Set<string>();
    const dependency = (urn: string) => {
        if (seen.has(urn)) {
            return;
        }
        seen.add(urn);
        const current = byUrn.get(urn);
        if (!current) {
            return;
        }
        current.dependencies.forEach(dependency);
        parent(current.parent);
        if (!current.custom) {
            run.resources.filter((r) => r.parent === urn).forEach((r) => dependency(r.urn));
        }
    };
    const parent = (urn: string | undefined) => {
        if (!urn || asParent.has(urn)) {
            return;
        }
        asParent.add(urn);
        const current = byUrn.get(urn);
        current?.dependencies.forEach(dependency);
        parent(current?.parent);
    };
    resource.dependencies.forEach(dependency);
    parent(resource.parent);
    return seen;
}
