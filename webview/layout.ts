/**
 * The panel's layout: a skeleton with slots, and the parts in order. Each part (parts/*.ts) brings
 * its markup for named slots and wires it to the store; a fragment may open further slots.
 *
 * Adding a view = one new file in parts/ plus one line in PARTS below (see webview/README.md).
 * Slots: header, alerts, controls (rows above the toolbar), toolbar (action buttons), status,
 * map, side (beside the map), below (sections under the map), network (the network views, shown
 * instead of the expression ones in network mode), and the ones parts open (trajectory-actions,
 * sweep-actions). Elements marked expr-only are hidden in network mode (styles.css).
 */
import type { Part } from './core/part';
import { displayOptionsPart } from './parts/displayOptions';
import { etaControlPart } from './parts/etaControl';
import { optimizerSelectPart } from './parts/optimizerSelect';
import { comparePart } from './parts/compare';
import { exportPart } from './parts/export';
import { figureExportPart } from './parts/figureExport';
import { headerPart } from './parts/header';
import { legendPart } from './parts/legend';
import { measuresPart } from './parts/measures';
import { mapViewPart } from './parts/mapView';
import { minimaPart } from './parts/minima';
import { orbitDiagramPart } from './parts/orbitDiagram';
import { netSlicePart } from './parts/netSlice';
import { statusPart } from './parts/status';
import { stripPart } from './parts/strip';
import { sweepPart } from './parts/sweep';
import { tippingPart } from './parts/tipping';
import { trajectoryChartsPart } from './parts/trajectoryCharts';
import { trajectoryListPart } from './parts/trajectoryList';
import { trainingPart } from './parts/training';

export const SKELETON = `
<header class="expr-only"><!--slot:header-->
</header>
<!--slot:alerts-->
<section id="controls" class="expr-only" aria-label="Learning rate and display options"><!--slot:controls-->
  <div class="row" role="toolbar" aria-label="Actions"><!--slot:toolbar-->
  </div>
</section>
<div class="expr-only"><!--slot:status-->
</div>
<section class="layout expr-only" aria-label="Basin map">
  <div id="map-wrap"><!--slot:map-->
  </div>
  <div id="side"><!--slot:side-->
  </div>
</section>
<div class="expr-only"><!--slot:below-->
</div>
<!--slot:network-->
`;

export const PARTS: readonly Part[] = [
  headerPart,
  etaControlPart,
  optimizerSelectPart,
  displayOptionsPart,
  mapViewPart,
  statusPart,
  legendPart,
  measuresPart,
  minimaPart,
  trajectoryListPart,
  trajectoryChartsPart,
  comparePart,
  stripPart,
  sweepPart,
  orbitDiagramPart,
  tippingPart,
  exportPart,
  figureExportPart,
  trainingPart,
  netSlicePart,
];
