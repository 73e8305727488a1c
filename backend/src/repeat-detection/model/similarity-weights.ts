import type { SimilarityWeights } from '../similarity-model';

/** Written by `npm run train:repeat` (evaluation/train-repeat.ts); do not edit by hand. */
export const SIMILARITY_WEIGHTS: SimilarityWeights = {
  "features": {
    "textCosine": {
      "mean": 0.1024,
      "scale": 0.0924,
      "weight": 0.4202
    },
    "topicCosine": {
      "mean": 0.0604,
      "scale": 0.0746,
      "weight": -0.0958
    },
    "placeJaccard": {
      "mean": 0.3301,
      "scale": 0.3225,
      "weight": -0.0357
    },
    "placeFoundMax": {
      "mean": 0.6065,
      "scale": 0.3904,
      "weight": 0.3868
    },
    "placeFoundMin": {
      "mean": 0.393,
      "scale": 0.3347,
      "weight": 0.1906
    },
    "numbersConflict": {
      "mean": 0.0705,
      "scale": 0.2559,
      "weight": -0.1793
    },
    "numbersMatch": {
      "mean": 0.0599,
      "scale": 0.2373,
      "weight": 0.1962
    },
    "sameStreet": {
      "mean": 0.8145,
      "scale": 0.3887,
      "weight": 0.6216
    },
    "sameCategory": {
      "mean": 0.243,
      "scale": 0.4289,
      "weight": 0.1179
    },
    "sameCategoryGroup": {
      "mean": 0.2953,
      "scale": 0.4562,
      "weight": 0.2403
    },
    "sameCategoryArea": {
      "mean": 0.336,
      "scale": 0.4724,
      "weight": 0.3354
    },
    "monthsApart": {
      "mean": 0.517,
      "scale": 0.4018,
      "weight": -0.5938
    },
    "consultationBesideOther": {
      "mean": 0.0777,
      "scale": 0.2676,
      "weight": 0.0488
    },
    "sameCaller": {
      "mean": 0.1127,
      "scale": 0.3162,
      "weight": 0.151
    },
    "topicTimesPlace": {
      "mean": 0.0463,
      "scale": 0.0727,
      "weight": 0.2437
    },
    "textWeightedCosine": {
      "mean": 0.0706,
      "scale": 0.0726,
      "weight": 0.495
    },
    "topicWeightedCosine": {
      "mean": 0.0396,
      "scale": 0.0545,
      "weight": 0.0769
    },
    "weightedTopicTimesPlace": {
      "mean": 0.0315,
      "scale": 0.0527,
      "weight": 0.4368
    },
    "sameCategoryAtPlace": {
      "mean": 0.2196,
      "scale": 0.4024,
      "weight": 0.2599
    },
    "relatedCategoryAtPlace": {
      "mean": 0.2528,
      "scale": 0.4191,
      "weight": 0.3695
    },
    "textAtPlace": {
      "mean": 0.0574,
      "scale": 0.0738,
      "weight": 0.6027
    },
    "consultationAtPlace": {
      "mean": 0.0544,
      "scale": 0.2141,
      "weight": -0.0554
    },
    "categoryNamesAlike": {
      "mean": 0.2718,
      "scale": 0.4211,
      "weight": 0.1476
    },
    "categoryNamedInText": {
      "mean": 0.1402,
      "scale": 0.2357,
      "weight": 0.961
    },
    "categoryNamesAtPlace": {
      "mean": 0.2585,
      "scale": 0.3965,
      "weight": 0.6496
    },
    "sitesDiffer": {
      "mean": 0.1855,
      "scale": 0.3887,
      "weight": -0.1232
    },
    "noSharedTopic": {
      "mean": 0.5288,
      "scale": 0.4992,
      "weight": -0.3124
    },
    "otherProblemAtPlace": {
      "mean": 0.2505,
      "scale": 0.3545,
      "weight": -0.2771
    }
  },
  "bias": -0.8179,
  "repeatThreshold": 0.6,
  "hotspotThreshold": 0.75,
  "similarFloor": 0.3,
  "trainedOn": "repeat-dev.jsonl (417 orders)"
};
