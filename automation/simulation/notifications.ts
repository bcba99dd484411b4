import { NotificationPort } from "../ports";
import type { WorldCore } from "./world-core";

/** SNS's largest message: 256 KiB ("Messages must be UTF-8 encoded strings and at most 256 KB in size", Publish API reference). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The DR alert topic. A publish is recorded in {@link WorldCore.notifications} (not in
 * the change log: it changes no resource), after the checks SNS Publish makes: "Subjects
 * must be UTF-8 text with no line breaks or control characters, and less than 100
 * characters long" (Publish API reference, Subject), and a non-empty message within 256 KiB.
 * A bad one fails with SNS's `InvalidParameter` error.
 */
export function notificationPort(world: WorldCore): NotificationPort {
    return {
        publish: async (subject, message) => {
            await world.enter("notifications.publish");
            if (subject.length === 0 || subject.length >= 100 || /[\u0000-\u001f\u007f]/.test(subject)) {
                throw new Error(`InvalidParameter: Invalid parameter: Subject (${JSON.stringify(subject)})`);
            }
            if (message.length === 0 || Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES) {
                throw new Error("InvalidParameter: Invalid parameter: Message too long or empty");
            }
            world.transact(() => {
                world.notifications.push({ subject, message });
            });
        },
    };
}
