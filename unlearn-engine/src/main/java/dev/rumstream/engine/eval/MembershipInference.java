package dev.rumstream.engine.eval;

import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * The SVC membership-inference attack of SalUn/RUM on true-class confidence: an RBF-kernel SVC (C =
 * 3, gamma = 1 / n_features = 1, sklearn's {@code gamma="auto"}) fitted on shadow members (retain
 * examples, label 1) and shadow non-members (test examples, label 0), then asked about target sets.
 * Reported as the fraction of a target predicted non-member: for a forget set, higher means it
 * looks more forgotten.
 */
public final class MembershipInference {

  private static final double C = 3.0;

  static {
    // libsvm prints its optimizer trace to stdout unless told otherwise; the setter is global to
    // the library.
    svm.svm_set_print_string_function(message -> {});
  }

  private final svm_model model;
  // The fitted decision function as arrays: asked exactly as svm_predict asks it (below).
  private final double[] supportVectors;
  private final double[] coefficients;
  private final double rho;
  private final double negativeGamma;
  private final int[] labels;

  private MembershipInference(svm_model model) {
    this.model = model;
    if (model.nr_class != 2 || model.param.kernel_type != svm_parameter.RBF) {
      throw new IllegalStateException("the attack is a two-class RBF SVC");
    }
    supportVectors = new double[model.l];
    for (int k = 0; k < model.l; k++) {
      svm_node[] vector = model.SV[k];
      if (vector.length != 1 || vector[0].index != 1) {
        throw new IllegalStateException("the attack has one feature, a confidence");
      }
      supportVectors[k] = vector[0].value;
    }
    coefficients = model.sv_coef[0].clone();
    rho = model.rho[0];
    negativeGamma = -model.param.gamma;
    labels = model.label.clone();
  }

  /** The attack fitted on these shadow sets' confidences. */
  public static MembershipInference fit(double[] members, double[] nonMembers) {
    if (members.length == 0 || nonMembers.length == 0) {
      throw new IllegalArgumentException("the attack needs shadow members and non-members");
    }
    return new MembershipInference(svm(members, nonMembers));
  }

  /** One attack fitted once and asked about one target (NaN for an empty target). */
  public static double nonMemberFraction(
      double[] shadowMembers, double[] shadowNonMembers, double[] target) {
    return fit(shadowMembers, shadowNonMembers).nonMemberFraction(target);
  }

  /** The fraction of the target predicted non-member; NaN for an empty target. */
  public double nonMemberFraction(double[] target) {
    if (target.length == 0) {
      return Double.NaN;
    }
    int called = 0;
    for (double confidence : target) {
      if (predict(confidence) < 0.5) {
        called++;
      }
    }
    return (double) called / target.length;
  }

  /**
   * The label libsvm's {@code svm_predict} gives a confidence, by the same operations in the same
   * order (the RBF kernel of one feature, the support vectors' terms summed in their order, minus
   * rho, positive for the first label), without its per-call arrays: the held-out test set is asked
   * once per measured version, thousands of targets against a thousand or more support vectors.
   */
  double predict(double confidence) {
    double sum = 0;
    for (int k = 0; k < supportVectors.length; k++) {
      double d = confidence - supportVectors[k];
      sum += coefficients[k] * Math.exp(negativeGamma * (d * d));
    }
    sum -= rho;
    return sum > 0 ? labels[0] : labels[1];
  }

  /** libsvm's own prediction, for checking {@link #predict} against it. */
  double predictByLibsvm(double confidence) {
    return svm.svm_predict(model, features(confidence));
  }

  private static svm_model svm(double[] members, double[] nonMembers) {
    svm_problem problem = new svm_problem();
    problem.l = members.length + nonMembers.length;
    problem.x = new svm_node[problem.l][];
    problem.y = new double[problem.l];
    for (int i = 0; i < members.length; i++) {
      problem.x[i] = features(members[i]);
      problem.y[i] = 1.0;
    }
    for (int i = 0; i < nonMembers.length; i++) {
      problem.x[members.length + i] = features(nonMembers[i]);
      problem.y[members.length + i] = 0.0;
    }
    svm_parameter parameter = new svm_parameter();
    parameter.svm_type = svm_parameter.C_SVC;
    parameter.kernel_type = svm_parameter.RBF;
    parameter.gamma = 1.0;
    parameter.C = C;
    parameter.eps = 1e-3;
    parameter.cache_size = 200;
    parameter.shrinking = 1;
    parameter.probability = 0;
    parameter.nr_weight = 0;
    parameter.weight_label = new int[0];
    parameter.weight = new double[0];
    String error = svm.svm_check_parameter(problem, parameter);
    if (error != null) {
      throw new IllegalStateException("libsvm rejected the attack's parameters: " + error);
    }
    return svm.svm_train(problem, parameter);
  }

  private static svm_node[] features(double confidence) {
    svm_node node = new svm_node();
    node.index = 1;
    node.value = confidence;
    return new svm_node[] {node};
  }
}
