import * as assert from "assert";
import { planSubnets } from "../../lib/subnets";

describe("lib/subnets: planSubnets", () => {
    const cases = [
        {
            vpc: "10.10.0.0/16",
            private: ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"],
            public: ["10.10.96.0/22", "10.10.100.0/22", "10.10.104.0/22"],
        },
        {
            vpc: "10.20.0.0/20",
            private: ["10.20.0.0/23", "10.20.2.0/23", "10.20.4.0/23"],
            public: ["10.20.6.0/26", "10.20.6.64/26", "10.20.6.128/26"],
        },
    ];
    for (const c of cases) {
        it(`splits ${c.vpc} into three private and three public subnets`, () => {
            assert.deepStrictEqual(planSubnets(c.vpc, 3), { private: c.private, public: c.public });
        });
    }

    it("refuses a zone count that does not fit", () => {
        assert.throws(() => planSubnets("10.10.0.0/16", 8), /zones must be from 1 to 7; got 8/);
    });
});
