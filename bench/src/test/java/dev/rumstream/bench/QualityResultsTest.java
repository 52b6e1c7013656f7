package dev.rumstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Rows of earlier product defaults keep labels of their own when the default changes again. */
class QualityResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode rows(String... algorithms) {
    var rows = JSON.createArrayNode();
    for (String algorithm : algorithms) {
      rows.addObject().put("algorithm", algorithm).put("variant", "rum");
    }
    return rows;
  }

  @Test
  void theFirstEarlierDefaultIsPlainTheNextOnesAreNumbered() {
    assertThat(QualityResults.earlierSuffix(rows("RUM", "PRODUCT")))
        .isEqualTo(" (earlier default)");
    assertThat(QualityResults.earlierSuffix(rows("PRODUCT", "PRODUCT (earlier default)")))
        .isEqualTo(" (earlier default 2)");
    assertThat(
            QualityResults.earlierSuffix(
                rows("PRODUCT_FALLBACK (earlier default)", "PRODUCT (earlier default 2)")))
        .isEqualTo(" (earlier default 3)");
  }
}
