"""The raw public files the data package is built from, with their provenance.

Each source names its path under the raw folder, who published it, the vintage of the data and
its licence. The build records a sha256 of every input it reads, so a package can be traced to
the exact bytes it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

OGL = "Open Government Licence v3.0"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right. "
    "Contains NHS England / NHS Digital data."
)


@dataclass(frozen=True)
class Source:
    path: str
    publisher: str
    title: str
    vintage: str
    licence: str = OGL


def _s(path: str, publisher: str, title: str, vintage: str, licence: str = OGL) -> Source:
    return Source(path, publisher, title, vintage, licence)


SOURCES: dict[str, Source] = {
    s.path: s
    for s in [
        # NHS England practice-level weighted populations (place-based allocation tool).
        _s(
            "allocations/nhse_place_tool_2023_2024.csv",
            "NHS England",
            "Practice-level weighted populations, ICB allocations 2023/24",
            "2023/24",
        ),
        _s(
            "allocations/nhse_place_tool_2024_2025.csv",
            "NHS England",
            "Practice-level weighted populations, ICB allocations 2024/25",
            "2024/25",
        ),
        _s(
            "allocations/nhse_place_tool_2025_2026.csv",
            "NHS England",
            "Practice-level weighted populations, ICB allocations 2025/26",
            "2025/26",
        ),
        # GP practices and PCNs.
        _s("gp/epraccur_2023-02.csv", "NHS England (ODS)", "GP practices (epraccur)", "2023-02"),
        _s("gp/ePCN_2023-02.xlsx", "NHS Digital", "Primary Care Networks (ePCN)", "2023-02"),
        _s(
            "gp/caip_practice_comparison_2023.csv",
            "NHS Digital, OHID",
            "GP practice registered patients by sex and age band, with workforce",
            "2023",
        ),
        _s(
            "gp/caip_ods_practice_pcn_icb_region_2023.csv",
            "NHS England (ODS)",
            "Practice to PCN to ICB to region",
            "2023",
        ),
        _s(
            "gp/fingertips_93553_imd2019_score_gp_practice.csv",
            "OHID Fingertips",
            "Deprivation score (IMD 2019) of GP practice registered populations",
            "2019",
        ),
        # Geography.
        _s(
            "geography/lookup_lsoa21_icb24.csv",
            "ONS Open Geography",
            "LSOA 2021 to sub-ICB location to ICB (2024)",
            "2024",
        ),
        _s(
            "geography/lookup_lsoa21_ward24_ltla24.csv",
            "ONS Open Geography",
            "LSOA 2021 to ward to local authority district (2024)",
            "2024",
        ),
        _s(
            "geography/lookup_ltla24_region24.csv",
            "ONS Open Geography",
            "Local authority district to region (2024)",
            "2024",
        ),
        _s(
            "geography/lookup_lsoa11_sicbl22_icb22_ltla22.csv",
            "ONS Open Geography",
            "LSOA 2011 to sub-ICB location to ICB to local authority district (2022)",
            "2022",
        ),
        _s(
            "geography/lookup_lsoa11_lsoa21_ltla22.csv",
            "ONS Open Geography",
            "LSOA 2011 to LSOA 2021",
            "2021",
        ),
        _s(
            "geography/ruc21_lsoa21.csv",
            "ONS",
            "Rural-urban classification 2021 of LSOA 2021",
            "2021",
        ),
        _s(
            "geography/lsoa21_bsc_v4_england_wales.geojson.gz",
            "ONS Open Geography",
            "LSOA December 2021 boundaries, super generalised (BSC V4)",
            "2021",
        ),
        _s(
            "geography/lsoa21_bsc_v4_lancashire_south_cumbria.geojson",
            "ONS Open Geography",
            "LSOA December 2021 boundaries (BSC V4), Lancashire and South Cumbria",
            "2021",
        ),
        _s(
            "geography/ltla24_buc_uk.geojson",
            "ONS Open Geography",
            "Local authority districts May 2024, ultra generalised (BUC)",
            "2024",
        ),
        _s(
            "geography/icb22_buc_england.geojson",
            "ONS Open Geography",
            "Integrated care boards July 2022, ultra generalised (BUC)",
            "2022",
        ),
        # Deprivation.
        _s(
            "imd/imd2025_england_lsoa21.csv", "MHCLG", "English Indices of Deprivation 2025", "2025"
        ),
        _s(
            "imd/imd2019_england_lsoa11_score_decile.csv",
            "MHCLG",
            "English Indices of Deprivation 2019: IMD score and decile",
            "2019",
        ),
        _s(
            "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
            "MHCLG",
            "English Indices of Deprivation 2019, File 1",
            "2019",
        ),
        _s(
            "imd/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
            "MHCLG",
            "English Indices of Deprivation 2019, File 2: domains",
            "2019",
        ),
        _s(
            "imd/mysociety_UK_IMD_E.csv",
            "mySociety (derived from MHCLG)",
            "Composite UK IMD, England rows: IoD2019 scores",
            "2019",
            "CC BY 4.0 (mySociety), derived from OGL data",
        ),
        # Population.
        _s(
            "population/ons_mye2019_lsoa11_sya_sex.csv.gz",
            "ONS",
            "Lower layer super output area population estimates, mid-2019 (SAPE22DT2)",
            "mid-2019",
        ),
        _s(
            "population/ons_mye2020_lsoa11_sya_persons.csv.gz",
            "ONS",
            "Lower layer super output area population estimates, mid-2020 (SAPE23DT2)",
            "mid-2020",
        ),
        _s(
            "population/census2021_disability21_lsoa21_ew.csv",
            "ONS",
            "Census 2021: disability by LSOA 2021 (usual residents)",
            "2021",
        ),
        # Outcomes.
        _s(
            "qof/PREVALENCE_2021_v2.csv",
            "NHS Digital",
            "Quality and Outcomes Framework 2020-21: prevalence",
            "2020-21",
        ),
        _s(
            "qof/MAPPING_INDICATORS_2021_v2.csv",
            "NHS Digital",
            "Quality and Outcomes Framework 2020-21: indicator mapping",
            "2020-21",
        ),
        _s(
            "health/england_health_index.csv",
            "ONS",
            "Health Index for England, by LAD 2021",
            "2015-2021",
        ),
        _s(
            "health/england_health_index_subdomains.csv",
            "ONS",
            "Health Index for England: subdomains, by LAD 2021",
            "2015-2021",
        ),
        _s(
            "health/england_health_index_indicators.csv",
            "ONS",
            "Health Index for England: indicators, by LAD 2021",
            "2015-2021",
        ),
    ]
}
