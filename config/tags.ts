import { ProblemCollector } from "../lib/errors";
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, RESERVED_TAG_PREFIX, TAG_KEYS } from "../lib/tags";
import { CONFIG_DEFAULTS } from "./defaults";
import { configKey } from "./keys";
import { jsonObject } from "./values";

/** User tags from `webank:tags`; AWS-reserved keys and the project's own keys are refused. */
export function parseTags(value: string | undefined, problems: ProblemCollector): Record<string, string> {
    const parsed = jsonObject(problems, configKey("tags"), value) ?? CONFIG_DEFAULTS.tags;
    const tags: Record<string, string> = {};
    const ownKeys = new Set<string>(Object.values(TAG_KEYS));
    for (const [tagKey, tagValue] of Object.entries(parsed)) {
        const field = `${configKey("tags")}.${tagKey}`;
        if (
            tagKey.startsWith(RESERVED_TAG_PREFIX) ||
            ownKeys.has(tagKey) ||
            tagKey.length === 0 ||
            tagKey.length > MAX_TAG_KEY_LENGTH
        ) {
            problems.add(
                field,
                `be a tag key of 1–${MAX_TAG_KEY_LENGTH} characters that does not start with "${RESERVED_TAG_PREFIX}" and is not one the project sets (${[...ownKeys].join(", ")})`,
                tagKey,
            );
            continue;
        }
        if (typeof tagValue !== "string" || tagValue.length > MAX_TAG_VALUE_LENGTH) {
            problems.add(field, `be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`, tagValue);
            continue;
        }
        tags[tagKey] = tagValue;
    }
    return tags;
}
