package social.coves.localstack.synthetic;

import java.util.SplittableRandom;

/**
 * Zipf-like ranks by inverting the continuous power law on [1, n+1): rank k (0-based) is drawn with probability
 * close to (k+1)^-s / H(n, s). No table, so the population may grow between draws.
 */
final class Zipf {

    private final double exponent;

    Zipf(double exponent) {
        this.exponent = exponent;
    }

    /** A rank in [0, n). */
    int rank(SplittableRandom random, int n) {
        double u = random.nextDouble();
        double x;
        if (Math.abs(exponent - 1.0) < 1e-9) {
            x = Math.exp(u * Math.log(n + 1.0));
        } else {
            double oneMinus = 1.0 - exponent;
            x = Math.pow(1.0 + u * (Math.pow(n + 1.0, oneMinus) - 1.0), 1.0 / oneMinus);
        }
        return Math.min(n, Math.max(1, (int) x)) - 1;
    }
}
