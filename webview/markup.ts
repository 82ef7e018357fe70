/** The panel's static markup (no user text: titles and values are set with textContent). */
export const PANEL_MARKUP = `
<header>
  <h1 id="title">GD Stability Lab</h1>
  <div id="expression" class="mono muted" aria-label="Objective"></div>
</header>
<div id="error-box" role="alert" hidden></div>
<section id="controls" aria-label="Learning rate and display options">
  <div class="row">
    <label for="eta-slider">η</label>
    <input type="range" id="eta-slider" min="0" max="1000" step="1" value="500" list="eta-ticks"
      aria-label="Learning rate η (slider, marked at the paper's fractions of η_max)">
    <datalist id="eta-ticks"></datalist>
    <vscode-textfield id="eta-input" type="text" inputmode="decimal" aria-label="Learning rate η" title="Learning rate η (Enter to apply)"></vscode-textfield>
    <span id="eta-fraction" aria-live="polite"></span>
  </div>
  <div class="row">
    <span class="muted">η / η_max:</span>
    <div id="eta-chips" class="chips" role="group" aria-label="Set η to a fraction of η_max"></div>
  </div>
  <div class="row">
    <vscode-single-select id="layer-select" aria-label="Map layer">
      <vscode-option value="class" selected>Outcome</vscode-option>
      <vscode-option value="K">K (unstable steps)</vscode-option>
      <vscode-option value="steps">Steps taken</vscode-option>
    </vscode-single-select>
    <vscode-single-select id="scheme-select" aria-label="Colour scheme">
      <vscode-option value="paper" selected>Paper colours</vscode-option>
      <vscode-option value="per-minimum">Colour per minimum</vscode-option>
      <vscode-option value="colorblind">Colour-blind safe</vscode-option>
    </vscode-single-select>
    <vscode-checkbox id="show-certified" checked aria-label="Show certified region">Certified region</vscode-checkbox>
    <vscode-checkbox id="show-minima" checked aria-label="Show minima">Minima</vscode-checkbox>
    <vscode-checkbox id="show-contours" aria-label="Show contour lines of f">Contours</vscode-checkbox>
  </div>
  <div class="row" role="toolbar" aria-label="Actions">
    <vscode-button id="zoom-back" secondary disabled aria-label="Back to the previous zoom window">Back</vscode-button>
    <vscode-button id="zoom-reset" secondary disabled aria-label="Reset zoom to the whole domain">Reset zoom</vscode-button>
    <vscode-button id="strip-button" secondary aria-label="Show Figure 2's five learning rates side by side">Figure 2 strip</vscode-button>
    <vscode-button id="sweep-button" secondary aria-label="Sweep learning rates">LR sweep</vscode-button>
    <vscode-button id="export-png" secondary aria-label="Export the map as PNG">PNG</vscode-button>
    <vscode-button id="export-npy" secondary aria-label="Export the class map as .npy">.npy</vscode-button>
  </div>
</section>
<div id="progress-row">
  <vscode-progress-bar id="progress" aria-label="Computation progress" hidden></vscode-progress-bar>
  <span id="status" role="status" aria-live="polite">Waiting for the extension…</span>
  <vscode-button id="cancel-button" secondary hidden aria-label="Cancel the computation">Cancel</vscode-button>
</div>
<div id="notice" role="status" aria-live="polite"></div>
<section class="layout" aria-label="Basin map">
  <div id="map-wrap">
    <canvas id="basin-canvas" data-role="basin-map" tabindex="0" role="img" aria-label="Basin map: click a pixel (or press Enter) to draw its trajectory; drag a rectangle to zoom"></canvas>
    <p class="help">Click: trajectory · drag: zoom · keys: arrows move, Enter trajectory, + / − zoom, Backspace back, 0 reset</p>
  </div>
  <div id="side">
    <h2>Legend</h2>
    <div id="legend" aria-label="Legend with area fractions"></div>
    <div id="hover-readout" aria-live="off"></div>
    <h2>Minima</h2>
    <ol id="minima-list" start="0" aria-label="Minima"></ol>
    <h2>Trajectories</h2>
    <ul id="trajectory-list" aria-label="Trajectories"></ul>
  </div>
</section>
<section id="trajectory-section" aria-label="Trajectory charts" hidden>
  <h2>Trajectory <span id="trajectory-summary" class="muted"></span></h2>
  <div class="chart-grid">
    <div class="chart-box"><canvas id="loss-chart" data-role="loss-chart" role="img" aria-label="Loss per step, log scale: red while unstable, dark once stable"></canvas></div>
    <div class="chart-box"><canvas id="grad-chart" role="img" aria-label="Gradient norm per step"></canvas></div>
    <div class="chart-box"><canvas id="sharpness-chart" role="img" aria-label="Sharpness λ_max per step with the 2/η line"></canvas></div>
  </div>
  <div class="row">
    <vscode-button id="export-trajectory-csv" secondary>Trajectory CSV</vscode-button>
    <vscode-button id="export-trajectory-json" secondary>Trajectory JSON</vscode-button>
  </div>
</section>
<section id="sweep-section" aria-label="Learning-rate sweep" hidden>
  <h2>LR sweep <span id="sweep-summary" class="muted"></span></h2>
  <div class="chart-box tall"><canvas id="sweep-chart" role="img" aria-label="Stacked fractions of stable, unstable, diverged and other starts against η/η_max"></canvas></div>
  <div class="row">
    <vscode-button id="export-sweep-csv" secondary>Sweep CSV</vscode-button>
    <vscode-button id="export-sweep-json" secondary>Sweep JSON</vscode-button>
  </div>
</section>
<section id="strip-section" aria-label="Figure 2 strip" hidden>
  <h2>Figure 2: learning rates side by side <span class="muted">(click one to use its η)</span></h2>
  <div id="strip"></div>
</section>
`;
